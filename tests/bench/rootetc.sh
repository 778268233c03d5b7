#!/bin/bash
# tests/bench/rootetc.sh: run by tests/bench/run.sh --exec="bash PATH/rootetc.sh" (N= iterations,
# DUMP=TAG saves each jail's mountinfo in /var/tmp): a directory root jail next to
# run.sh's tmpfs-root and read-only ones; mounts and /etc tmpfs use per jail, then
# pambench medians (docs/bench/rootetc.md).

mkdir -p $B/droot/proc $B/droot/sys $B/droot/dev $B/droot/etc $B/droot/tmp $B/droot/usr $B/droot/var $B/droot/home $B/droot/opt $B/droot/data
echo x > $B/droot/data/f
chmod -R go-w $B/droot
sed -i '$d' $B/nsjail.conf
cat >>$B/nsjail.conf <<J
  ,{ name = "droot"; users = [ "bench" ]; services = [ "bench-nsjail-droot" ];
    root = "$B/droot"; bind_ro = [ "/usr" ]; }
);
J
H=$B/h
for s in droot; do
  printf 'auth required pam_permit.so\naccount required pam_permit.so\nsession required %s config=%s/nsjail.conf helper=%s/nsjail-helper\nsession required %s/pam_probe.so gone=%s/h0/secret seen=/usr/bin/true\n' \
    "$NSJ_BUILD/pam_nsjail.so" "$B" "$NSJ_BUILD" "$bin" "$B" > $B/pam.d/bench-nsjail-$s
done
for s in root droot ro; do
  "$bin/pamhold" bench-nsjail-$s bench > $B/out/h.$s 2>$B/out/h.$s.err & hp=$!
  for _ in $(seq 100); do [ -s $B/out/h.$s ] && break; sleep 0.05; done
  echo "mounts $s: $(wc -l < /proc/$hp/mountinfo) (host sandbox: $(wc -l < /proc/self/mountinfo))"
  echo "etc tmpfs $s: $(stat -f -c "%b %f %S" /proc/$hp/root/etc)"
  [ -n "${DUMP:-}" ] && cat /proc/$hp/mountinfo > /var/tmp/etcperf-mi.$s.$DUMP
  kill $hp; wait $hp || true
done
"$bin/pambench" -n ${N:-300} -w 20 nsjail-root=pam:bench-nsjail-root:bench:jail nsjail-droot=pam:bench-nsjail-droot:bench:jail nsjail-ro=pam:bench-nsjail-ro:bench:jail
