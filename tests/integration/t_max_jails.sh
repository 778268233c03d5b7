#!/bin/bash
# settings.max_jails_per_user: a login that would build one more live
# non-shared jail of its user than the limit is refused, with the reason in
# syslog and on the user's terminal; a jail whose processes are all gone
# does not count; joining a shared jail never counts. Through real su and
# sshd.
. "$NSJ_SRC/tests/lib/functions.sh"
nsj_setup
nsj_config <<'EOF2'
version = 1;
settings = { max_jails_per_user = 3; };
jails = (
  { name = "own"; users = [ "alice" ]; private_tmp = true; },
  { name = "sh"; users = [ "bob" ]; private_tmp = true; shared = true; },
  { name = "sh2"; users = [ "erin" ]; services = [ "sshd" ]; private_tmp = true; shared = true; },
  { name = "own2"; users = [ "erin" ]; private_tmp = true; }
);
EOF2
nsj_require nsj_sshd_start
leave() { as_user alice 'setsid sleep 1001 </dev/null >/dev/null 2>&1 & echo left'; }

output_is "1st su login leaves a process behind" left leave
output_is "2nd" left leave
output_is "3rd (ssh)" left nsj_ssh alice 'setsid sleep 1001 </dev/null >/dev/null 2>&1 & echo left'
# su on a terminal (script(1) gives it a pty): the refused user is told
# why only where there is a terminal to tell (pam_nsjail(8)).
as_user_tty() { script -qec "su -s /bin/sh $1 -c '$2'" /dev/null; }
nsj_syslog_mark
output_contains "4th su login on a terminal: refused, and told why" "the limit is 3" as_user_tty alice 'echo in'
fails "4th su login without a terminal: refused (told nothing: no terminal)" as_user alice 'echo in'
fails "4th ssh login: refused too" nsj_ssh alice 'echo in'
ok "syslog says why" nsj_syslog_grep 'user=alice .*max_jails_per_user'
# A leftover that made namespaces of its own still holds its jail's mounts:
# it counts (as one more jail, at least).
pkill -u alice -f 'sleep 1001'
for i in $(seq 30); do pgrep -u alice -f 'sleep 1001' >/dev/null || break; sleep 0.1; done
output_is "after the leftovers end, a login works" in as_user alice 'echo in'
output_is "... and leaves one behind in a nested namespace" left as_user alice 'setsid unshare -Urm sleep 1002 </dev/null >/dev/null 2>&1 & echo left'
output_is "... two more" left leave
output_is "... three" left leave
output_contains "the nested namespace's jail counts: refused" "the limit is 3" as_user_tty alice 'echo in'
pkill -u alice -f 'sleep 100[12]'
for i in $(seq 30); do pgrep -u alice >/dev/null || break; sleep 0.1; done

# Leftovers made non-dumpable (their /proc/PID shows as root's) count too.
nodump='python3 -c "import ctypes,os,time; ctypes.CDLL(None).prctl(4, 0, 0, 0, 0); os.setsid(); time.sleep(100)" </dev/null >/dev/null 2>&1 & echo left'
for i in 1 2 3; do
	output_is "non-dumpable leftover $i" left as_user alice "$nodump"
done
output_contains "non-dumpable leftovers count: refused" "the limit is 3" as_user_tty alice 'echo in'
pkill -u alice python3
for i in $(seq 30); do pgrep -u alice >/dev/null || break; sleep 0.1; done

# A leftover running a setuid program (/proc/PID shows it as root's: its
# real uid is hers) counts too.
cp /bin/sleep /srv/suidsleep && chmod 4755 /srv/suidsleep
for i in 1 2 3; do
	output_is "setuid leftover $i" left as_user alice 'setsid /srv/suidsleep 1003 </dev/null >/dev/null 2>&1 & echo left'
done
nsj_require sh -c "[ \"\$(stat -c %u /proc/\$(pgrep -f 'suidsleep 1003' | head -1))\" = 0 ]"
output_contains "setuid leftovers count: refused" "the limit is 3" as_user_tty alice 'echo in'
pkill -f 'suidsleep 1003'
for i in $(seq 30); do pgrep -u alice >/dev/null || pgrep -f suidsleep >/dev/null || break; sleep 0.1; done

# A user's shared jail (erin's, over ssh) is never counted when she builds
# an unshared one (su): with it and two leftovers she still gets a third.
output_is "erin: her shared jail over ssh" in nsj_ssh erin 'setsid sleep 1004 </dev/null >/dev/null 2>&1 & echo in'
for i in 1 2; do
	output_is "erin: su leftover $i" left as_user erin 'setsid sleep 1004 </dev/null >/dev/null 2>&1 & echo left'
done
output_is "erin: a third unshared jail is allowed (her shared jail does not count)" in as_user erin 'echo in'
pkill -u erin sleep

# Another user's live jails never count against her: with two of erin's
# and two of her own (four namespaces, more than the limit: the count looks
# at whose they are), alice still gets a third.
for i in $(seq 30); do pgrep -u erin >/dev/null || break; sleep 0.1; done
for i in 1 2; do
	output_is "erin's leftover $i" left as_user erin 'setsid sleep 1005 </dev/null >/dev/null 2>&1 & echo left'
	output_is "alice's leftover $i" left leave
done
output_is "alice: a third jail is allowed (erin's two do not count)" in as_user alice 'echo in'
pkill -u erin sleep
pkill -u alice sleep
for i in $(seq 30); do pgrep -u erin >/dev/null || pgrep -u alice >/dev/null || break; sleep 0.1; done

# shared: joins never count
for i in 1 2 3 4 5; do
	output_is "bob's shared login $i (joins, never counted)" in as_user bob 'sleep 60 </dev/null >/dev/null 2>&1 & echo in'
done
pkill -u bob sleep

# 0: unlimited
sed -i 's/max_jails_per_user = 3/max_jails_per_user = 0/' "$T/nsjail.conf"
for i in 1 2 3 4; do leave >/dev/null; done
output_is "max_jails_per_user = 0: no limit" in as_user alice 'echo in'
pkill -u alice sleep
