-- wrk: an element save (PUT without If-Match saves over the current version).
wrk.method = "PUT"
wrk.body = '{"high_school_diploma": true}'
wrk.headers["Content-Type"] = "application/json"
