"""The smtplib peer of invoice-bench's mailing run:
`python3 smtplib_send.py HOST PORT FILE COUNT THREADS FROM TO` sends FILE COUNT times; each of
THREADS threads sends its share over one connection."""
import smtplib, sys, threading
host, port, path, count, threads, sender, rcpt = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], sys.argv[7]
data = open(path, 'rb').read()
def work(n):
    s = smtplib.SMTP(host, port, local_hostname='bench.example')
    for _ in range(n):
        s.sendmail(sender, [rcpt], data)
    s.quit()
shares = [count // threads + (1 if i < count % threads else 0) for i in range(threads)]
ts = [threading.Thread(target=work, args=(n,)) for n in shares]
[t.start() for t in ts]
[t.join() for t in ts]
