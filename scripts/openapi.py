#!/usr/bin/env python3
"""Writes the API's OpenAPI 3.1 document (issue 20): openapi.json at the top of the repository and the
same bytes into Sources/API/OpenAPIDocument.swift, which `invoice serve` answers GET /v1/openapi.json with.
Edit the schemas here, run `python3 scripts/openapi.py`, commit both files (APITests compares them)."""
import json, os, sys
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
S = lambda **k: dict(type="string", **k)
N = lambda t: {"type": [t, "null"]}
money = {"type": "string", "pattern": r"^-?[0-9]+(\.[0-9]+)?$", "description": "a decimal amount, as a string"}
moneyN = {"type": ["string", "null"], "pattern": r"^-?[0-9]+(\.[0-9]+)?$"}
date = {"type": "string", "format": "date"}
dateN = {"type": ["string", "null"], "format": "date"}
ref = lambda n: {"$ref": f"#/components/schemas/{n}"}
def obj(props, required=(), additional=True, desc=None):
    o = {"type": "object", "properties": props}
    if required: o["required"] = list(required)
    if not additional: o["additionalProperties"] = False
    if desc: o["description"] = desc
    return o
def lst(item, desc=None):
    return obj({"object": {"const": "list"}, "data": {"type": "array", "items": item}, "has_more": {"type": "boolean"},
                "url": {"type": "string"}}, ["object", "data", "has_more", "url"], desc=desc)

schemas = {
 "Error": obj({"error": obj({"type": {"type": "string", "enum": ["invalid_request_error", "authentication_error", "permission_error",
        "not_found_error", "conflict_error", "idempotency_error", "validation_error", "rate_limit_error", "api_error"]},
        "message": {"type": "string"}, "param": {"type": "string"}}, ["type", "message"], additional=False)}, ["error"], additional=False,
        desc="The one error shape: 400 malformed, 401 no/wrong/revoked key, 403 read-only key on a write, 404 unknown, 409 state conflict or idempotency key in use, 413 body too large, 415 not JSON, 422 validation (the command line's message) or idempotency key reused with another request, 429 (never on loopback), 500 (no internal detail), 503 store cannot write now."),
 "Customer": obj({"object": {"const": "customer"}, "id": {"type": "integer"}, "company": S(), "contact": S(), "street": S(), "building": S(),
        "postcode": S(), "town": S(), "country": S(), "email": S(), "vat_id": S(), "currency": S(), "language": S(),
        "billing_info": S(), "active": {"type": "boolean"}, "buyer_reference": S(), "electronic_address": S(), "einvoice": S(),
        "credit_balance": money, "external_id": N("string")},
        ["object", "id", "company", "email", "country", "currency", "language", "active", "credit_balance", "external_id"]),
 "CustomerList": lst(ref("Customer")),
 "CustomerCreate": obj({"company": S(minLength=1), "email": S(), "country": S(description="ISO 3166 alpha-2"),
        "currency": S(description="ISO 4217; default: the currency setting"), "language": S(enum=["en", "de", "fr", "it"]),
        "contact": S(), "street": S(), "building": S(), "postcode": S(), "town": S(), "vat_id": S(), "billing_info": S(),
        "buyer_reference": S(), "electronic_address": S(),
        "external_id": S(minLength=1, maxLength=255, description="the app's own id, unique: a second POST with it answers the existing customer (200)")},
        ["company", "email", "country"], additional=False),
 "User": obj({"object": {"const": "user"}, "id": {"type": "integer"}, "customer": {"type": "integer"}, "salutation": S(),
        "first_name": S(), "surname": S(), "email": S()}, ["object", "id", "customer", "first_name", "surname", "email"]),
 "UserList": lst(ref("User")),
 "UserCreate": obj({"salutation": S(), "first_name": S(), "surname": S(), "email": S()}, ["first_name", "surname", "email"], additional=False),
 "Product": obj({"id": {"type": "integer"}, "kind": S(enum=["plan", "module"]), "name": S(), "description": S(),
        "trial_days": {"type": "integer"}, "free": {"type": "boolean"}, "active": {"type": "boolean"},
        "prices": {"type": "array", "items": obj({"currency": S(), "monthly": moneyN, "yearly": moneyN, "onetime": moneyN,
                   "vat_rate": S(), "gross": {"type": "boolean"}}, ["currency", "monthly", "yearly", "onetime", "vat_rate", "gross"])}},
        ["id", "kind", "name", "prices"]),
 "Catalog": lst(ref("Product")),
 "Next": {"type": ["object", "null"], "properties": {"action": S(), "on": dateN, "invoice": N("string")},
        "required": ["action", "on", "invoice"], "description": "what happens next: activates_when_paid, starts, trial_ends, ends, renews, lapses_unless_paid, reactivates_when_paid, changes_cycle, changes_to_PRODUCT"},
 "Entitlement": obj({"object": {"const": "entitlement"}, "kind": S(enum=["plan", "module"]), "product": S(), "active": {"type": "boolean"},
        "status": N("string"), "cycle": S(), "usable_until": dateN, "next": ref("Next"), "booking": N("integer")},
        ["object", "kind", "product", "active", "status", "usable_until", "next", "booking"]),
 "Entitlements": obj({"object": {"const": "entitlements"}, "customer": {"type": "integer"}, "date": date,
        "plan": {"oneOf": [ref("Entitlement"), {"type": "null"}]}, "modules": {"type": "array", "items": ref("Entitlement")}},
        ["object", "customer", "date", "plan", "modules"]),
 "EntitlementCheck": obj({"object": {"const": "entitlement_check"}, "customer": {"type": "integer"}, "date": date,
        "entitlement": ref("Entitlement")}, ["object", "customer", "date", "entitlement"]),
 "Booking": obj({"id": {"type": "integer"}, "customer": {"type": "integer"}, "kind": S(enum=["plan", "module"]), "product": S(),
        "status": S(), "cycle": S(), "start": dateN, "end": dateN, "invoice": N("string"), "replaces": N("integer"),
        "renewal": N("string"), "usable_until": dateN, "price": {"type": ["object", "null"]}, "next_price": moneyN,
        "owed_on_next_invoice": {"type": "array", "items": money}, "paying_invoice": {"type": ["object", "null"]},
        "next_renewal": {"type": ["object", "null"]}, "periods": {"type": "array", "items": {"type": "object"}},
        "history": {"type": "array", "items": obj({"date": date, "action": S(), "detail": S()}, ["date", "action", "detail"])}},
        ["id", "customer", "kind", "product", "status", "cycle", "start", "end", "invoice", "periods", "history"]),
 "BookingList": lst(ref("Booking")),
 "BookingOutcome": {"allOf": [ref("Booking"), obj({"action": S(), "change": N("string"), "message": S(),
        "new_invoice": {"type": ["object", "null"], "properties": {"number": N("string"), "status": S(), "total": money, "due_date": dateN}},
        "amount": moneyN, "cancelled_invoices": {"type": "array", "items": S()},
        "forfeited": {"type": "array", "items": obj({"currency": S(), "amount": money}, ["currency", "amount"])}},
        ["action", "change", "message", "new_invoice", "amount", "cancelled_invoices", "forfeited"])],
        "description": "what the action did, the booking as it now is, and the invoice to pay (new_invoice), if one was made"},
 "Activation": obj({"product": S(minLength=1, description="the plan's or module's name or id"),
        "activation": S(enum=["free", "trial", "monthly", "yearly", "onetime"], description="onetime: modules only"),
        "no_mail": {"type": "boolean"}}, ["product", "activation"], additional=False),
 "NoBody": obj({}, additional=False),
 "VATGroup": obj({"rate": S(), "base": money, "amount": money}, ["rate", "base", "amount"]),
 "InvoiceSummary": obj({"id": {"type": "integer"}, "number": N("string"), "status": S(), "customer": {"type": "integer"},
        "customer_name": S(), "title": S(), "currency": S(), "language": S(), "tax_mode": S(), "issue_date": dateN, "due_date": dateN,
        "net": money, "vat": {"type": "array", "items": ref("VATGroup")}, "vat_total": money, "gross": money, "rounding": money,
        "total": money, "paid": money, "open": money, "type": S(enum=["invoice", "credit_note"]), "prepaid": money, "credited": money,
        "invoice": N("string"), "refunded": money},
        ["id", "number", "status", "customer", "currency", "issue_date", "due_date", "net", "vat", "gross", "total", "paid", "open", "type"]),
 "InvoiceList": lst(ref("InvoiceSummary")),
 "Invoice": {"allOf": [ref("InvoiceSummary"), obj({"object": S(enum=["invoice", "credit_note"]), "user": N("integer"),
        "lines": {"type": "array", "items": obj({"position": {"type": "integer"}, "title": S(), "description": S(), "quantity": S(),
                  "unit": S(), "unit_price": money, "discount": S(), "vat_rate": S(), "amount": money},
                  ["position", "title", "quantity", "unit_price", "vat_rate", "amount"])},
        "payments": {"type": "array", "items": obj({"amount": money, "date": date, "method": S(), "reference": S()}, ["amount", "date"])},
        "notes": S(), "sent": dateN}, ["object", "lines", "payments"])]},
 "Line": obj({"title": S(minLength=1), "quantity": S(description="decimal, as a string"), "unit_price": S(description="decimal amount, as a string"),
        "vat_rate": S(description="percent, as a string"), "discount": S(), "unit": S(), "description": S()},
        ["title", "quantity", "unit_price", "vat_rate"], additional=False),
 "InvoiceCreate": obj({"customer": S(pattern="^[1-9][0-9]{0,17}$", description="the customer's id"), "title": S(), "notes": S(),
        "purchase_order": S(), "tax_mode": S(enum=["net", "gross", "exempt"]), "exempt_note": S(), "language": S(enum=["en", "de", "fr", "it"]),
        "user": S(description="a user id of the customer"), "lines": {"type": "array", "items": ref("Line")},
        "issue": {"type": "boolean", "description": "issue at once (else a draft)"}, "no_mail": {"type": "boolean"}},
        ["customer"], additional=False),
 "PaymentCreate": obj({"amount": S(description="decimal amount, as a string"), "currency": S(description="default: the invoice's; another one is kept as unmatched (202)"),
        "date": date, "method": S(), "reference": S()}, ["amount"], additional=False),
 "Payment": obj({"object": {"const": "payment"}, "status": S(enum=["applied", "credited", "unmatched"]), "id": N("string"),
        "invoice": S(), "amount": money, "currency": S(), "date": date, "credited": moneyN,
        "invoice_object": {"oneOf": [ref("Invoice"), {"type": "null"}]}},
        ["object", "status", "invoice", "amount", "currency", "date"]),
 "CreditNoteCreate": obj({"amount": S(description="decimal amount, as a string; neither amount nor lines: all that can still be credited"),
        "lines": {"type": "array", "items": obj({"title": S(), "quantity": S(), "unit_price": S(), "vat_rate": S()},
                  ["title", "quantity", "unit_price", "vat_rate"], additional=False)},
        "reason": S(), "refund": {"type": "boolean"}, "no_mail": {"type": "boolean"}}, additional=False),
}
E = lambda d: {"description": d, "content": {"application/json": {"schema": ref("Error")}}}
def J(schema, d="OK"): return {"description": d, "content": {"application/json": {"schema": ref(schema)}}}
def errors(*codes, write=False):
    names = {400: "malformed request", 401: "no, wrong or revoked API key", 403: "read-only key", 404: "not found",
             409: "state conflict, or the Idempotency-Key's first request is still running", 413: "body too large",
             415: "body not application/json", 422: "validation failed (the command line's message), or Idempotency-Key reused with another request",
             429: "too many requests (never on loopback)", 500: "internal error", 503: "the store cannot write now; try again"}
    r = {str(c): E(names[c]) for c in codes}
    return r
READ = (400, 401, 404, 429, 500, 503)
WRITE = (400, 401, 403, 404, 409, 413, 415, 422, 429, 500, 503)
idem = {"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string", "minLength": 1, "maxLength": 255},
        "description": "the same key and body replay the first answer (status and body) for 24 hours; another request with it: 422"}
page = [{"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 10}},
        {"name": "starting_after", "in": "query", "schema": {"type": "integer", "minimum": 1}, "description": "the id of the last object of the page before"}]
cid = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}, "description": "the customer's id"}
num = {"name": "number", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}, "description": "the invoice's number (or a draft's id)"}
mod = {"name": "module", "in": "path", "required": True, "schema": {"type": "string", "minLength": 1}, "description": "the module's name or id"}
def body(schema, required=True): return {"required": required, "content": {"application/json": {"schema": ref(schema)}}}
def get(op, summary, schema, params=(), extra=None):
    o = {"operationId": op, "summary": summary, "parameters": list(params), "responses": {"200": J(schema), **errors(*READ)}}
    if extra: o["responses"].update(extra)
    return o
def post(op, summary, req, schema, status="201", params=(), required=True, extra=None):
    o = {"operationId": op, "summary": summary, "parameters": list(params) + [idem], "requestBody": body(req, required),
         "responses": {status: J(schema, "done"), **errors(*WRITE)}}
    if extra: o["responses"].update(extra)
    return o
paths = {
 "/v1/openapi.json": {"get": {"operationId": "openapi", "summary": "this document (no key needed)", "security": [],
        "responses": {"200": {"description": "the OpenAPI 3.1 document", "content": {"application/json": {"schema": {"type": "object"}}}},
                      "404": E("no API key exists yet: the API is off")}}},
 "/v1/customers": {"get": get("listCustomers", "customers by id, cursor pagination; with external_id the one the app knows by it", "CustomerList",
        page + [{"name": "external_id", "in": "query", "schema": {"type": "string", "minLength": 1, "maxLength": 255}}]),
        "post": post("createCustomer", "add a customer (customer add); an existing external_id answers that customer, 200", "CustomerCreate", "Customer",
                     extra={"200": J("Customer", "the customer that has this external_id already")})},
 "/v1/customers/{id}": {"get": get("getCustomer", "one customer", "Customer", [cid]),
        "patch": {"operationId": "updateCustomer", "summary": "change a customer (customer edit); only the fields sent change",
                  "parameters": [cid], "requestBody": body("CustomerUpdate", False), "responses": {"200": J("Customer"), **errors(*WRITE)}}},
 "/v1/customers/{id}/users": {"get": get("listUsers", "the customer's users", "UserList", [cid]),
        "post": post("addUser", "add a user (user add)", "UserCreate", "User", params=[cid])},
 "/v1/customers/{id}/entitlements": {"get": {"operationId": "getEntitlements",
        "summary": "may they use X now? The current plan and every module, with active, status, usable_until and next; with ?product= that one",
        "parameters": [cid, {"name": "product", "in": "query", "schema": {"type": "string", "minLength": 1}, "description": "a plan's or module's name or id"}],
        "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"oneOf": [ref("Entitlements"), ref("EntitlementCheck")]}}}},
                      **errors(*READ)}}},
 "/v1/customers/{id}/plan": {"get": get("listPlanBookings", "every plan booking of the customer", "BookingList", [cid]),
        "post": post("activatePlan", "book a plan or change to it (plan CUSTOMER activate PLAN --ACTIVATION)", "Activation", "BookingOutcome", params=[cid])},
 "/v1/customers/{id}/modules": {"get": get("listModuleBookings", "the customer's module bookings", "BookingList", [cid]),
        "post": post("activateModule", "book a module (module CUSTOMER activate MODULE --ACTIVATION)", "Activation", "BookingOutcome", params=[cid])},
 "/v1/invoices": {"get": get("listInvoices", "invoices and credit notes by id, cursor pagination (invoice list)", "InvoiceList", page + [
        {"name": "customer", "in": "query", "schema": {"type": "integer", "minimum": 1}},
        {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["draft", "open", "partially_paid", "paid", "cancelled", "issued", "overdue"]}},
        {"name": "type", "in": "query", "schema": {"type": "string", "enum": ["invoice", "credit_note"]}}]),
        "post": post("createInvoice", "add an invoice: a draft, or issued with issue true (invoice new)", "InvoiceCreate", "Invoice")},
 "/v1/invoices/{number}": {"get": {"operationId": "getInvoice", "summary": "one invoice as JSON (show --json), or its document with ?format= (or Accept: application/pdf, text/html)",
        "parameters": [num, {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["json", "pdf", "html", "txt", "cii", "ubl", "facturx"]}}],
        "responses": {"200": {"description": "the invoice, or its document", "content": {
            "application/json": {"schema": ref("Invoice")}, "application/pdf": {"schema": {"type": "string", "format": "binary"}},
            "text/html; charset=utf-8": {"schema": {"type": "string"}}, "text/plain; charset=utf-8": {"schema": {"type": "string"}},
            "application/xml": {"schema": {"type": "string"}}}}, **errors(*READ, 422)}}},
 "/v1/invoices/{number}/payments": {"post": post("payInvoice", "record a payment (invoice pay)", "PaymentCreate", "Payment", params=[num],
        extra={"202": J("Payment", "another currency than the invoice's: kept as unmatched")})},
 "/v1/invoices/{number}/credit-notes": {"post": post("creditInvoice", "issue a credit note (invoice credit-note)", "CreditNoteCreate", "Invoice", params=[num], required=False)},
}
schemas["CustomerUpdate"] = json.loads(json.dumps(schemas["CustomerCreate"]))
schemas["CustomerUpdate"].pop("required")
schemas["CustomerUpdate"]["properties"]["active"] = {"type": "boolean", "description": "false deactivates (kept, hidden from lists)"}
for action, what in [("cancel", "no renewal; usable until the period ends"), ("revoke", "undo a cancel"),
                     ("withdraw", "end today: unpaid invoices cancelled by credit note, unused value forfeited, credit kept")]:
    paths[f"/v1/customers/{{id}}/plan/{action}"] = {"post": post(f"{action}Plan", f"the plan: {what} (plan CUSTOMER {action})", "NoBody", "BookingOutcome", "200", [cid], False)}
    paths[f"/v1/customers/{{id}}/modules/{{module}}/{action}"] = {"post": post(f"{action}Module", f"a module: {what} (module CUSTOMER {action} MODULE)", "NoBody", "BookingOutcome", "200", [cid, mod], False)}
order = ["/v1/openapi.json", "/v1/customers", "/v1/customers/{id}", "/v1/customers/{id}/users", "/v1/customers/{id}/entitlements",
         "/v1/customers/{id}/plan", "/v1/customers/{id}/plan/cancel", "/v1/customers/{id}/plan/revoke", "/v1/customers/{id}/plan/withdraw",
         "/v1/customers/{id}/modules", "/v1/customers/{id}/modules/{module}/cancel", "/v1/customers/{id}/modules/{module}/revoke",
         "/v1/customers/{id}/modules/{module}/withdraw", "/v1/invoices", "/v1/invoices/{number}", "/v1/invoices/{number}/payments",
         "/v1/invoices/{number}/credit-notes"]
assert set(order) == set(paths)
doc = {"openapi": "3.1.0",
       "info": {"title": "invoice API", "version": "1.0.0",
                "description": "The JSON API of `invoice serve` under /v1/ (issue 20). Every write goes through the same workflows as the command line. Money is a decimal string, dates YYYY-MM-DD, timestamps RFC 3339. Lists: {object: list, data, has_more, url}, limit 1-100 (default 10), starting_after = the last id of the page before.",
                "license": {"name": "MIT", "identifier": "MIT"}},
       "servers": [{"url": "http://127.0.0.1:8080"}],
       "security": [{"bearer": []}],
       "paths": {p: paths[p] for p in order},
       "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "invoice api-keys create --name NAME prints the key once"}},
                      "schemas": dict(sorted(schemas.items()))}}
text = json.dumps(doc, indent=2, ensure_ascii=False)
assert '"""#' not in text
open(os.path.join(ROOT, "openapi.json"), "w", encoding="utf-8").write(text + "\n")
swift = ("/// The OpenAPI 3.1 document served at `GET /v1/openapi.json`: the same bytes as `openapi.json` at the top\n"
         "/// of the repository. Both are written by `python3 scripts/openapi.py` (do not edit by hand).\n"
         "enum OpenAPIDocument {\n    static let text = #\"\"\"\n" + text + "\n\"\"\"# + \"\\n\"\n}\n")
open(os.path.join(ROOT, "Sources", "API", "OpenAPIDocument.swift"), "w", encoding="utf-8").write(swift)
print("wrote openapi.json and Sources/API/OpenAPIDocument.swift")
