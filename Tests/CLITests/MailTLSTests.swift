import Foundation
import Testing
import TestSupport

/// `smtp_ca_file`: a private relay's CA, checked when set, used by `invoice mail run`.
@Suite struct MailTLSTests {
    // Mutation (mutants.tsv settings-ca-file-check): delete the `if key == "smtp_ca_file" …` check in SettingsCommand → a missing file
    // and a non-PEM file are stored (exit 0) and this test fails.
    @Test func theCAFileMustBeAReadablePEMCertificate() throws {
        let desk = try MailDesk(label: "ca-setting")
        defer { desk.remove() }
        let before = try desk.dump()
        let missing = try desk.cli.run("settings", "set", "smtp_ca_file", desk.directory.path("nope.pem"))
        #expect(missing.status == 1)
        #expect(missing.stderr.hasPrefix("invoice: smtp_ca_file: cannot read the CA file "), "\(missing.stderr)")
        #expect(missing.stderr.split(separator: "\n").count == 1)
        let notPEM = desk.directory.path("key.txt")
        try Data("not a certificate\n".utf8).write(to: URL(fileURLWithPath: notPEM))
        let wrong = try desk.cli.run("settings", "set", "smtp_ca_file", notPEM)
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("holds no PEM certificate"), "\(wrong.stderr)")
        #expect(try desk.dump() == before, "nothing changed")

        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let set = try desk.cli.run("settings", "set", "smtp_ca_file", certificates.caFile)
        #expect(set.status == 0, "\(set.stderr)")
        let shown = try #require(try desk.cli.json("settings", "show") as? [String: Any])
        #expect(shown["smtp_ca_file"] as? String == URL(fileURLWithPath: certificates.caFile).standardizedFileURL.path)
    }

    // Mutation (mutants.tsv mail-ca-bundle-setting): drop `caBundlePath:` from MailCommands.smtpConfiguration (the setting is not
    // used) → the first run pauses on the untrusted certificate and this test fails.
    @Test func aRelayWithAPrivateCASendsOnlyOnceTheCAIsSet() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let desk = try MailDesk(label: "ca-run")
        defer { desk.remove() }
        let customer = try desk.addCustomer(company: "Kunde AG", email: "kunde@example.ch")
        try desk.ok(["send", try desk.issueInvoice(customer: customer)])
        try SMTPTestServer.with(["--tls-cert", certificates.certificateFile, "--tls-key", certificates.keyFile, "--smtps",
                                 "--auth", "billing:s3cret"], recordingWire: true) { server in
            try desk.useServer("smtps://127.0.0.1:\(server.port)")
            let environment = ["INVOICE_SMTP_USER": "billing", "INVOICE_SMTP_PASSWORD": "s3cret"]
            // Without the CA: the run pauses with one clear line and sends nothing.
            let paused = try desk.mailRun(environment: environment)
            #expect(paused.status == 1)
            #expect(paused.stderr.contains("the mailing run could not send"), "\(paused.stderr)")
            #expect(paused.stderr.contains("certificate"), "\(paused.stderr)")
            #expect(paused.stderr.split(separator: "\n").count == 1)
            #expect(try desk.states() == ["queued": 1])
            #expect(try server.messages().isEmpty)
            let wire = String(decoding: server.wire(), as: UTF8.self)
            #expect(!wire.contains("MAIL FROM") && !wire.contains("s3cret"), "nothing in clear")
            // With it: the message goes out over TLS with AUTH.
            try desk.cli.ok("settings", "set", "smtp_ca_file", certificates.caFile)
            let sent = try desk.mailRun(environment: environment)
            #expect(sent.status == 0, "\(sent.stderr)")
            #expect(try desk.states() == ["sent": 1])
            #expect(try server.messages().count == 1)
        }
    }
}
