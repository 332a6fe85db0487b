# Schemathesis hooks for the administrator run (test/ops/schemathesisAdmin.test.ts), loaded
# through SCHEMATHESIS_HOOKS.
import os

import schemathesis

ADMIN_ID = os.environ["KEYWARD_ADMIN_ID"]
# Ids come from GET /api/admin/users, which lists the administrator too. Resetting their own
# factors or signing themselves out everywhere ends the session the run uses, so every later
# request would be a 401 and nothing else would be exercised. Acting on any other account,
# and every other administrator operation on their own account, stays in.
ENDS_OWN_SESSION = ("/reset-mfa", "/sessions/revoke")


@schemathesis.hook
def filter_case(context, case):
    return not (case.path.endswith(ENDS_OWN_SESSION) and (case.path_parameters or {}).get("id") == ADMIN_ID)
