#!/bin/bash
# tmpfs /home + bind /home/%u: the user sees only their own home, and writes
# there go to the real home.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
jails = (
  {
    name = "own-home";
    users = [ "alice" ];
    tmpfs = [ "/home" ];
    bind = [ "/home/%u" ];
  },
  {
    name = "own-home-h";
    users = [ "erin" ];
    tmpfs = [ "/home" ];
    bind = [ "%h" ];
  }
);
EOF2

output_is "alice's session opens" success pam_rc alice
output_is "alice sees only her own home" alice as_user alice 'ls -A /home'
output_is "her files are there" "home of alice" as_user alice 'cat /home/alice/.marker-alice'
fails "bob's home does not exist for her" as_user alice 'ls /home/bob'
ok "she can write in her home" as_user alice 'touch /home/alice/written-in-jail'
ok "the write reached the real home" test -e /home/alice/written-in-jail
echo "root's" >/home/zz-root-file
output_is "a file the caller adds to /home does not show in the jail" alice as_user alice 'ls -A /home'
rm /home/zz-root-file
output_is "erin (bind %h) sees only her home" erin as_user erin 'ls -A /home'
output_is "bob (unmatched) sees every home" "alice bob carol dave erin" as_user bob 'echo $(ls /home)'
output_is "the caller still sees every home" "alice bob carol dave erin" sh -c 'echo $(ls /home)'
