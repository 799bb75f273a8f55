/**
 * How SSH connections to a host are made: the Docker provider (`ssh_opts`), `npm run doctor` and
 * CI use this one list, so the check the doctor runs is the check the deploy relies on. (The
 * post-start steps' docker CLI takes no ssh options; with no terminal, ssh's default "ask" also
 * refuses an unknown key, and a changed key is refused by every setting.)
 *
 * Host keys are never learnt on first contact: the owner supplies known_hosts (CI writes the
 * `SSH_KNOWN_HOSTS` secret to ~/.ssh/known_hosts; on a laptop it is the usual file, filled once
 * with `ssh-keyscan` over the tailnet and checked by hand against the host's
 * `/etc/ssh/ssh_host_ed25519_key.pub`). An unknown or changed key fails the connection.
 */
export const SSH_HOST_KEY_OPTIONS: readonly string[] = ["-o", "StrictHostKeyChecking=yes"];

/**
 * Options for the Docker provider: strict host keys, and one multiplexed connection for the many
 * API calls of one plan (each call is a new ssh session otherwise; kreuzwerker/docker #262).
 */
export const DOCKER_SSH_OPTIONS: readonly string[] = [
  ...SSH_HOST_KEY_OPTIONS,
  "-o", "ControlMaster=auto",
  "-o", "ControlPath=~/.ssh/kitestacks-%r@%h:%p",
  "-o", "ControlPersist=60",
  "-o", "ServerAliveInterval=15",
];
