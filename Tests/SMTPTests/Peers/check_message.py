#!/usr/bin/env python3
"""Test oracle for rendered messages. Usage: check_message.py FILE.eml [--expect-json EXPECT.json]

Exits non-zero (printing the reasons) unless the message parses under email.policy.strict and
passes raw checks: CRLF-only, lines <= 998 octets, ASCII-only headers, exactly one Date, From and
Message-ID, a valid Date, no Bcc. On success prints a JSON summary of the decoded message:
subject, from/to display names and addresses, text, html, attachments (filename, type, sha256).
"""
import email
import email.policy
import hashlib
import json
import re
import sys


def main():
    raw = open(sys.argv[1], "rb").read()
    problems = []
    if re.search(rb"(?<!\r)\n", raw) or re.search(rb"\r(?!\n)", raw):
        problems.append("bare CR or LF")
    if not raw.endswith(b"\r\n"):
        problems.append("does not end in CRLF")
    for number, line in enumerate(raw.split(b"\r\n"), 1):
        if len(line) > 998:
            problems.append(f"line {number} has {len(line)} octets")
    header_block, _, _ = raw.partition(b"\r\n\r\n")
    if any(b >= 0x80 for b in header_block):
        problems.append("non-ASCII bytes in the header")
    names = [m.group(1).lower() for m in re.finditer(rb"^([^ \t:\r\n]+):", header_block, re.M)]
    for required in (b"date", b"from", b"message-id"):
        if names.count(required) != 1:
            problems.append(f"{required.decode()} appears {names.count(required)} times")
    for single in (b"to", b"subject", b"mime-version"):
        if names.count(single) > 1:
            problems.append(f"{single.decode()} appears more than once")
    if b"bcc" in names:
        problems.append("Bcc header present")
    try:
        message = email.message_from_bytes(raw, policy=email.policy.strict)
        date = str(message["Date"])
        if not re.fullmatch(r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}", date):
            problems.append(f"bad Date {date!r}")
        if not re.fullmatch(r"<[^<>@\s]+@[^<>@\s]+>", str(message["Message-ID"])):
            problems.append("bad Message-ID")
        defects = list(message.defects)
        for part in message.walk():
            defects += part.defects
        if defects:
            problems.append(f"defects: {defects}")
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        attachments = []
        for part in message.iter_attachments():
            payload = part.get_content()
            if isinstance(payload, str):
                payload = payload.encode()
            for p in part.walk():
                if p.defects:
                    problems.append(f"attachment defects: {p.defects}")
            attachments.append({"filename": part.get_filename(), "type": part.get_content_type(),
                                "sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)})
        frm = message["From"].addresses[0]
        to = message["To"].addresses[0]
        summary = {
            "subject": str(message["Subject"]),
            "fromName": frm.display_name, "fromAddress": frm.addr_spec,
            "toName": to.display_name, "toAddress": to.addr_spec,
            "cc": [{"name": a.display_name, "address": a.addr_spec} for a in message["Cc"].addresses] if message["Cc"] else [],
            "replyTo": str(message["Reply-To"]) if message["Reply-To"] else None,
            "messageID": str(message["Message-ID"]),
            "contentType": message.get_content_type(),
            "text": text.get_content() if text is not None else None,
            "html": html.get_content() if html is not None else None,
            "attachments": attachments,
            "headers": {k: str(v) for k, v in message.items()},
        }
    except Exception as error:  # strict policy raises on defects
        problems.append(f"parse error: {type(error).__name__}: {error}")
        summary = None
    if problems:
        print("\n".join(problems), file=sys.stderr)
        sys.exit(1)
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
