#!/bin/sh
# wait_for <url> <tries> <seconds>: poll until the URL answers 2xx, or fail the step.
wait_for() {
  n=0
  until curl -fsS -o /dev/null "$1"; do
    n=$((n + 1))
    if [ "$n" -ge "$2" ]; then echo "gave up waiting for $1" >&2; return 1; fi
    sleep "$3"
  done
}
