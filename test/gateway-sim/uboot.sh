#!/bin/sh
# The test gateway's `reboot`: plays U-Boot's part for the profile's boot scheme with the real
# fw_printenv/fw_setenv, then rewrites what says which slot and version booted. BusyBox-safe.
# The sim installs this file as <root>/sbin/reboot with ROOT set on its second line.
# Usage: reboot          return now, "reboot" half a second later in the background
#        reboot --now    play the boot synchronously (the test API's reboot())
set -u
. "$ROOT/etc/sim.conf"

getv() { fw_printenv -c "$CFG" -n "$1" 2>/dev/null; }
# One atomic write of several variables, as the contract demands of Rigger too.
setv() {
  f="$ROOT/run/sim-env.$$"
  : > "$f"
  for kv in "$@"; do echo "$kv" >> "$f"; done
  fw_setenv -c "$CFG" -s "$f"
  rc=$?
  rm -f "$f"
  return $rc
}
dev_of() { if [ "$1" = A ]; then echo "$DEV_A"; else echo "$DEV_B"; fi; }
part_of() { if [ "$1" = A ]; then echo "$PART_A"; else echo "$PART_B"; fi; }
other() { if [ "$1" = A ]; then echo B; else echo A; fi; }
header() { head -c 512 "$(dev_of "$1")" 2>/dev/null | tr -d '\000'; }
bootable() { [ "$(header "$1" | head -n 1)" = "RIGGER-SIM-IMAGE" ]; }
hval() { header "$1" | sed -n "s/^$2=//p" | head -n 1; }
select_slot() {
  if [ "$SCHEME" = mender ]; then
    p=$(part_of "$1")
    echo "$V_SLOT=$p"
    echo "mender_boot_part_hex=$(printf %x "$p")"
  else
    echo "$V_SLOT=$1"
  fi
}
selected_slot() {
  v=$(getv "$V_SLOT")
  if [ "$SCHEME" = mender ]; then
    if [ "$v" = "$PART_A" ]; then echo A; elif [ "$v" = "$PART_B" ]; then echo B; fi
  else
    echo "$v"
  fi
}

# The Linux side comes up: cmdline, os-release, a new boot id and the health flag of the booted
# image. All of them appear at once, as after a real reboot: they are written into a new
# generation folder and the `current` link is renamed over (rename is atomic), so a reader never
# sees the new slot's cmdline beside the old slot's version. proc/cmdline, etc/os-release,
# proc/boot_id and run/gateway/healthy are links into `current`.
linux_up() {
  gen="gen.$$.$(date +%s)"
  dir="$ROOT/run/boot/$gen"
  mkdir -p "$dir"
  echo "console=ttyS0,115200 root=$(dev_of "$1") rootwait ro" > "$dir/cmdline"
  printf 'NAME="Univa OS"\nID=univa\nPRETTY_NAME="Univa OS %s"\nVERSION_ID=%s\n' "$(hval "$1" version)" "$(hval "$1" version)" \
    > "$dir/os-release"
  cat /proc/sys/kernel/random/uuid > "$dir/boot_id"
  if [ "$(hval "$1" healthy)" = 1 ]; then : > "$dir/healthy"; fi
  ln -s "$gen" "$ROOT/run/boot/next.$$"
  mv -fT "$ROOT/run/boot/next.$$" "$ROOT/run/boot/current"
  for old in "$ROOT"/run/boot/gen.*; do
    [ "$old" = "$dir" ] || rm -rf "$old"
  done
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) booted slot $1 ($(hval "$1" version))" >> "$ROOT/var/log/boot.log"
}

# One power-on: pick the slot as U-Boot would; returns 1 when the kernel cannot boot it.
power_on() {
  case "$SCHEME" in
    bootcount|mender)
      slot=$(selected_slot)
      [ -n "$slot" ] || return 2
      if [ "$(getv "$V_UP")" = 1 ]; then
        cnt=$(( $(getv "$V_CNT" || echo 0) + 1 ))
        lim=$(getv "$V_LIM")
        if [ "$cnt" -gt "${lim:-3}" ]; then
          # altbootcmd: back to the other slot, trial over.
          slot=$(other "$slot")
          setv $(select_slot "$slot") "$V_UP=0" "$V_CNT=$cnt"
        else
          setv "$V_CNT=$cnt"
        fi
      fi
      ;;
    rauc)
      slot=""
      for s in $(getv BOOT_ORDER); do
        left=$(getv "BOOT_${s}_LEFT")
        if [ "${left:-0}" -gt 0 ]; then
          slot=$s
          setv "BOOT_${s}_LEFT=$((left - 1))"
          break
        fi
      done
      [ -n "$slot" ] || return 2
      ;;
  esac
  if bootable "$slot"; then
    # Fault: the old system keeps answering a while after U-Boot changed the environment.
    stale=$(cat "$ROOT/run/stale-kernel-seconds" 2>/dev/null || echo 0)
    [ "$stale" -gt 0 ] && sleep "$stale"
    linux_up "$slot"
    return 0
  fi
  echo "$(date -u +%Y-%m-%dT%H:%M:%SZ) slot $slot: kernel panic (no bootable image)" >> "$ROOT/var/log/boot.log"
  return 1
}

boot() {
  # The old Linux is going down: it is no longer healthy.
  rm -f "$ROOT/run/boot/current/healthy"
  # A panicking kernel makes the board reset: U-Boot counts again, as many times as it takes.
  i=0
  while [ $i -lt 8 ]; do
    i=$((i + 1))
    power_on
    rc=$?
    [ $rc -eq 1 ] || return $rc
  done
  return 1
}

if [ "${1:-}" = "--now" ]; then
  boot
  exit $?
fi
# A reboot that is lost: the first N requests do nothing at all.
n=$(cat "$ROOT/run/ignore-reboots" 2>/dev/null || echo 0)
if [ "$n" -gt 0 ]; then
  echo $((n - 1)) > "$ROOT/run/ignore-reboots"
  exit 0
fi
# A sim with power cycles: the test harness cuts every session, and boots after a while.
if [ -e "$ROOT/etc/sim-power-cycle" ]; then
  : > "$ROOT/run/power-cycle-requested"
  exit 0
fi
# Like a real reboot: the command returns, then the machine goes down.
# Detached from the SSH session, so its hang-up does not stop the "bootloader".
( trap '' HUP; sleep 1; sh "$0" --now ) </dev/null >/dev/null 2>&1 &
exit 0
