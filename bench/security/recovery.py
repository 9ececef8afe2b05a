"""Seconds from the end of an overload until scoring is normal again.

recovery.py URL BODY_FILE LOAD_END_EPOCH NORMAL_MS
Sleeps until LOAD_END_EPOCH (when the open-loop client stops sending), then sends one scoring request at a time on a
keep-alive connection, a new one every 20 ms, for at most 30 s. Normal is 10 requests in a row answered 200 within
NORMAL_MS (the accepted p99 at half load); the time printed is from the load's end to the first of those 10.
"""
import http.client
import sys
import time
import urllib.parse

url, body_file, load_end, normal_ms = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
body = open(body_file, "rb").read()
target = urllib.parse.urlsplit(url)
time.sleep(max(0.0, load_end - time.time()))
connection = None
streak_start, streak, probes, slow, refused = None, 0, 0, 0, 0
while time.time() - load_end < 30:
    sent = time.time()
    try:
        connection = connection or http.client.HTTPConnection(target.hostname, target.port, timeout=10)
        connection.request("POST", target.path, body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        response.read()
        status = response.status
    except OSError:
        connection, status = None, 0
    elapsed_ms = (time.time() - sent) * 1000
    probes += 1
    if status == 200 and elapsed_ms <= normal_ms:
        streak_start = sent if streak == 0 else streak_start
        streak += 1
        if streak == 10:
            print(f"normal {streak_start - load_end:.2f} s after the load stopped (goal <= 5; {probes} probes, "
                  f"{refused} refused or failed, {slow} slower than {normal_ms:.1f} ms before)")
            sys.exit(0)
    else:
        streak = 0
        slow += status == 200
        refused += status != 200
    time.sleep(max(0.0, 0.02 - (time.time() - sent)))
print(f"not normal within 30 s of the load stopping ({probes} probes, {refused} refused or failed, {slow} slow)")
