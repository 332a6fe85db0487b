// The usage line of `keyward oidc clients add`: printed after a wrong argument and by
// `--help` (cliCommands.ts), which must not load the command itself to print it.
export const ADD_CLIENT_USAGE =
  'keyward oidc clients add <client_id> --redirect-uri <uri> [--redirect-uri <uri> ...] [--post-logout-uri <uri> ...] ' +
  '[--name <text>] [--public] [--post] [--first-party] [--require-aal 1|2|3] [--id-token-alg RS256|ES256] [--no-refresh] ' +
  '[--backchannel-logout-uri <uri>] [--frontchannel-logout-uri <uri>] [--grant code|device|client_credentials ...] [--scope "<scope> ..."] [--introspects <client_id> ...]';
