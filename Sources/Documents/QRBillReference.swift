import Billing

/// The QR-bill's payment references (QR reference, creditor reference) live in the billing core, where
/// the bank import verifies them too; the QR-bill code keeps calling them by this name.
public typealias QRBillReference = PaymentReference
