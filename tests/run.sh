#!/bin/sh
# Runs every test under prove (TAP): the unit tests built with ASan and UBSan
# in build/san/tests/, then the UI and end-to-end scripts tests/t_*.py.
# prove's own summary closes the run; the plain line after it is for CI.
export CMOCKA_MESSAGE_OUTPUT=TAP
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LSAN_OPTIONS=suppressions=$(pwd)/tests/lsan.supp:print_suppressions=0
mkdir -p build/test-out
prove --exec '' --merge build/san/tests/test_* > build/test-out/unit.log 2>&1; unit=$?
prove --exec 'python3' tests/t_*.py > build/test-out/ui.log 2>&1; ui=$?
cat build/test-out/unit.log build/test-out/ui.log | grep -v '^ok\|^1\.\.'
python3 tests/summary.py build/test-out/unit.log build/test-out/ui.log
[ $unit = 0 ] && [ $ui = 0 ]
