"""The peer of `invoice events run` in the bench: Python's `requests` (one Session per thread, kept
alive) POSTing the same payloads to the same receiver, each signed per Standard Webhooks with the
reference `standardwebhooks` library at send time, as the run signs each attempt.

    python3 requests_webhooks.py URL PAYLOADS.jsonl SECRET THREADS
PAYLOADS.jsonl: one {"id": webhook-id, "body": payload} per line."""
import json, sys, threading
from datetime import datetime, timezone

import requests
from standardwebhooks.webhooks import Webhook

url, path, secret, threads = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
items = [json.loads(line) for line in open(path, encoding="utf-8")]
hook = Webhook(secret)
failures = []

def work(part):
    session = requests.Session()
    for item in part:
        now = datetime.now(tz=timezone.utc)
        body = item["body"].encode()
        headers = {"Content-Type": "application/json", "webhook-id": item["id"],
                   "webhook-timestamp": str(int(now.timestamp())), "webhook-signature": hook.sign(item["id"], now, body)}
        answer = session.post(url, data=body, headers=headers, timeout=15)
        if answer.status_code // 100 != 2:
            failures.append(answer.status_code)

workers = [threading.Thread(target=work, args=(items[i::threads],)) for i in range(threads)]
for w in workers: w.start()
for w in workers: w.join()
if failures:
    sys.exit(f"{len(failures)} requests failed, first status {failures[0]}")
