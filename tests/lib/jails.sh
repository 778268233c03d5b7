# shellcheck shell=bash
# Jails several tests share (sourced after functions.sh).
#   nsj_config_hide_and_root KEYS [JAILS]
#       the config of the tests that compare mount tables and attack mounts:
#       alice in "hide" (an empty /home with her own home bound back, and
#       KEYS, the jail's other lines), then JAILS (more jails, each
#       "{ ... },"), then erin in "tmpfs-root" (a tmpfs root with /usr
#       read-only and her home).
nsj_config_hide_and_root() {
	nsj_config <<EOF2
version = 1;
jails = (
  {
    name = "hide";
    users = [ "alice" ];
    tmpfs = [ "/home" ];
    bind = [ "/home/%u" ];
    $1
  },
  ${2:-}
  {
    name = "tmpfs-root";
    users = [ "erin" ];
    root = "tmpfs";
    bind_ro = [ "/usr" ];
    bind = [ "/home/%u" ];
  }
);
EOF2
}
