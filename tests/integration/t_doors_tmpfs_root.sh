#!/bin/bash
# Every door into a root = "tmpfs" jail (nothing on disk): the same doors and
# assertions as t_doors_root_dir.sh (sshd command, ssh -tt with an interactive
# shell, sftp via internal-sftp and sftp-server, scp and rsync both ways,
# su -, su --pty, runuser -l, login; exit statuses through the jailed parents;
# no process left; the listener unchanged and serving bob unjailed; two
# concurrent sessions in two jails).
NSJ_DOORS_ROOT=tmpfs
. "$NSJ_SRC/tests/integration/t_doors_root_dir.sh"
