#!/bin/bash
# Every tmpfs a jail makes has a size and an inode cap (issue 10 item 7):
# settings' tmpfs_size / tmpfs_inodes, a jail's own keys override them.
# Without caps each tmpfs gets half of RAM, per session.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
NSJ=$NSJ_BUILD/nsjailctl
C=$T/nsjail.conf
nsj_config <<'EOF2'
version = 1;
settings = {
  tmpfs_size = "8M";
  tmpfs_inodes = 1000;
};
jails = (
  {
    name = "capped";
    users = [ "alice" ];
    private_tmp = true;
    tmpfs = [ "/srv/scratch" ];
  },
  {
    name = "own-cap";
    users = [ "erin" ];
    root = "tmpfs";
    bind_ro = [ "/usr" ];
    bind = [ "/home/%u" ];
    tmpfs_size = "4M";
    tmpfs_inodes = "2k";
  }
);
EOF2
mkdir -p /srv/scratch
nsj_require nsj_sshd_start

size() { df -B1 --output=size "$1" | tail -n 1 | tr -d ' '; }
inodes() { df --output=itotal "$1" | tail -n 1 | tr -d ' '; }

# Settings: 8 MiB, 1000 inodes.
output_is "alice's session opens" success pam_rc alice
output_is "su: /tmp is 8 MiB" 8388608 as_user alice "$(declare -f size); size /tmp"
output_is "ssh: /tmp is 8 MiB" 8388608 nsj_ssh alice "$(declare -f size); size /tmp"
output_is "su: /var/tmp is 8 MiB" 8388608 as_user alice "$(declare -f size); size /var/tmp"
output_is "su: tmpfs /srv/scratch is 8 MiB" 8388608 as_user alice "$(declare -f size); size /srv/scratch"
output_is "su: /tmp has 1000 inodes" 1000 as_user alice "$(declare -f inodes); inodes /tmp"
output_contains "su: writing past the cap: ENOSPC" "No space left on device" as_user alice 'head -c 9M /dev/zero >/tmp/big'
output_contains "ssh: writing past the cap: ENOSPC" "No space left on device" nsj_ssh alice 'dd if=/dev/zero of=/tmp/big bs=1M count=9'
output_contains "su: more files than inodes: ENOSPC" "No space left on device" as_user alice 'cd /tmp && for i in $(seq 1100); do : >f$i || exit 1; done'
output_contains "explain shows the caps" "tmpfs caps: size 8M, 1000 inodes" "$NSJ" explain -c "$C" alice

# A jail's own keys override settings, for a tmpfs root, /tmp and /dev/shm.
output_is "erin's session opens" success pam_rc erin
output_is "su: erin's /tmp is 4 MiB (jail over settings)" 4194304 as_user erin "$(declare -f size); size /tmp"
output_is "ssh: erin's /tmp is 4 MiB" 4194304 nsj_ssh erin "$(declare -f size); size /tmp"
output_is "su: erin's /dev/shm is 4 MiB" 4194304 as_user erin "$(declare -f size); size /dev/shm"
output_is "su: erin's tmpfs root is 4 MiB" 4194304 as_user erin "$(declare -f size); size /"
output_is "su: erin's /tmp has 2048 inodes" 2048 as_user erin "$(declare -f inodes); inodes /tmp"
output_contains "ssh: erin: writing past the cap: ENOSPC" "No space left on device" nsj_ssh erin 'head -c 5M /dev/zero >/dev/shm/big'

# No key at all: the documented default, 256 MiB and 65536 inodes.
nsj_config <<'EOF2'
version = 1;
jails = ( { name = "default-cap"; users = [ "alice" ]; private_tmp = true; } );
EOF2
output_is "su: the default /tmp is 256 MiB, not half of RAM" 268435456 as_user alice "$(declare -f size); size /tmp"
output_is "ssh: the default /tmp has 65536 inodes" 65536 nsj_ssh alice "$(declare -f inodes); inodes /tmp"
output_is "bob (unjailed) sees the host's /tmp" ok as_user bob 'test -w /tmp && echo ok'

# A bad value: check and the module refuse it with FILE:LINE.
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "bad-cap";
    users = [ "erin" ];
    tmpfs_size = "4Q";
  }
);
EOF2
status_is "check: a bad size is an error" 1 "$NSJ" check -c "$C"
output_contains "check: its line" "$C:6: error: 'tmpfs_size'" "$NSJ" check -c "$C"
output_is "the session is refused" session_err pam_rc erin
