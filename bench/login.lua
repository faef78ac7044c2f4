-- wrk script: every request is a successful login of the benchmark user.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"username": "bench", "password": "plum-orchard-9"}'
