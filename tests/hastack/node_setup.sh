# shellcheck shell=bash
# Sourced by a node's agent (tests/cluster/cluster.sh, VQ_CLUSTER_AGENT_SETUP)
# inside the node's fresh namespaces, before anything runs there:
#   node_setup.sh I DIR   (I, the node's number, is not used yet)
# It makes the node safe for sbd and ready for pacemaker:
#   - /proc/sysrq-trigger and /proc/sys/kernel/sysrq are files of DIR
#     (sysrq-trigger, kernel-sysrq), so nothing the node writes there reaches
#     the machine (where the kernel has them); reboot(2) ends the node's own
#     PID namespace only;
#   - /dev is the node's own: the usual character devices bound from the
#     host, no watchdog device at all, and /dev/log a socket that
#     $VQ_HASTACK_BIN/node_syslog appends to DIR/syslog;
#   - pacemaker's state (/var/lib/pacemaker) lives in DIR/pacemaker, like a
#     disk that outlives a reset; its log goes to DIR/pacemaker-log.
# hastack.sh checks each of these from inside the node before sbd starts.
_node_setup() {
	local dir=$2 n
	# A kernel without magic SysRq has neither file: then there is nothing
	# to mask, and hastack.sh checks that the node sees neither.
	if [ -e /proc/sysrq-trigger ]; then
		: > "$dir/sysrq-trigger"
		mount --bind "$dir/sysrq-trigger" /proc/sysrq-trigger
	fi
	if [ -e /proc/sys/kernel/sysrq ]; then
		echo 0 > "$dir/kernel-sysrq"
		mount --bind "$dir/kernel-sysrq" /proc/sys/kernel/sysrq
	fi

	mkdir -p /run/node-dev
	mount -t tmpfs -o mode=0755 tmpfs /run/node-dev
	for n in null zero full random urandom tty; do
		touch "/run/node-dev/$n"
		mount --bind "/dev/$n" "/run/node-dev/$n"
	done
	mkdir /run/node-dev/shm /run/node-dev/pts
	mount -t tmpfs -o mode=1777 tmpfs /run/node-dev/shm
	mount --bind /dev/pts /run/node-dev/pts
	ln -s /proc/self/fd /run/node-dev/fd
	ln -s /proc/self/fd/0 /run/node-dev/stdin
	ln -s /proc/self/fd/1 /run/node-dev/stdout
	ln -s /proc/self/fd/2 /run/node-dev/stderr
	mount --move /run/node-dev /dev
	setsid "$VQ_HASTACK_BIN/node_syslog" /dev/log "$dir/syslog" </dev/null >>"$dir/node_syslog.log" 2>&1 &
	for _ in $(seq 1 100); do [ -S /dev/log ] && break; sleep 0.01; done

	mkdir -p "$dir/pacemaker"/{cib,pengine,blackbox,cores} "$dir/pacemaker-log"
	chown -R hacluster:haclient "$dir/pacemaker" "$dir/pacemaker-log"
	chmod 0750 "$dir/pacemaker"/{cib,pengine,blackbox,cores}
	mount --bind "$dir/pacemaker" /var/lib/pacemaker
	mkdir -p /var/log/pacemaker
	mount --bind "$dir/pacemaker-log" /var/log/pacemaker
	mkdir -p /run/crm
	chown hacluster:haclient /run/crm
	chmod 0750 /run/crm
}
_node_setup "$@"
