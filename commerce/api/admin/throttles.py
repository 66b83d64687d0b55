from rest_framework.throttling import SimpleRateThrottle


class AdminLoginRateThrottle(SimpleRateThrottle):
    """Limit `POST /api/admin/auth` per client address; the rate is `DEFAULT_THROTTLE_RATES["admin_login"]`.

    Other methods on the same route (session check, logout) are not counted.
    """

    scope = "admin_login"

    def get_cache_key(self, request, view):
        if request.method != "POST":
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
