/* PAM services whose daemon opens the session in a long-lived privileged
 * worker that goes on serving other users: moving that process into one
 * user's jail would serve the next users from inside it. Facts checked
 * with the Debian 12 packages (tests/integration/t_shared_worker.sh). */
#ifndef NSJAIL_WORKERS_H
#define NSJAIL_WORKERS_H

/* Why SERVICE's session is opened in a shared worker, or NULL when it is
 * not known to be. */
const char *shared_worker(const char *service);

#endif
