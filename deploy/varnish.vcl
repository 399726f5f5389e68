# Varnish in front of Counterpoint's app servers (Varnish 7, VCL 4.1).
#
# Caches the public pages for as long as the app's Cache-Control allows (s-maxage;
# stale-while-revalidate becomes grace), passes the admin, previews and anything sent
# with a session cookie, and takes BANs (the app's purge after a publish, see
# publishing/frontcache.py) only from the addresses in the `purgers` ACL.
#
# The site-specific part (the app servers and who may purge) lives in backends.vcl next
# to this file: copy deploy/backends.vcl.example and list your app servers there.
vcl 4.1;

import directors;
import std;

include "backends.vcl";

sub vcl_recv {
    set req.backend_hint = app.backend();

    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purging is not allowed from this address."));
        }
        if (!req.http.X-Ban-Url) {
            return (synth(400, "Name the paths to drop in X-Ban-Url."));
        }
        ban("obj.http.X-Url ~ " + req.http.X-Ban-Url);
        return (synth(200, "Banned."));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Staff pages, and anything a signed-in user asks for, are never cached or shared.
    if (req.url ~ "^/(admin|preview)(/|$)" || req.http.Cookie ~ "(^|;\s*)sessionid=") {
        return (pass);
    }
    # Public pages do not depend on cookies (the CSRF cookie, analytics): drop them so
    # every reader shares one cached copy.
    unset req.http.Cookie;
    unset req.http.Authorization;
    return (hash);
}

sub vcl_backend_response {
    # Bans match on the stored URL, so the ban lurker can drop objects in the background.
    set beresp.http.X-Url = bereq.url;
    if (beresp.http.Set-Cookie || beresp.http.Cache-Control !~ "s-maxage") {
        # Only what the app marked for shared caches is kept (never 404s for arbitrary
        # URLs, redirects, or anything carrying a cookie).
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=\d+") {
        set beresp.grace = std.duration(
            regsub(beresp.http.Cache-Control, ".*stale-while-revalidate=(\d+).*", "\1s"), 0s);
    }
}

sub vcl_deliver {
    unset resp.http.X-Url;
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
