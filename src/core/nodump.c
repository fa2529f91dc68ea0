/* nodump: no core files, no same-user ptrace (see nodump.h). */
#include "nodump.h"
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>

int nodump_process(char *err, size_t errlen)
{
	struct rlimit none = { 0, 0 };
	if (setrlimit(RLIMIT_CORE, &none) != 0) {
		snprintf(err, errlen, "cannot turn core dumps off: %s", strerror(errno));
		return -1;
	}
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		snprintf(err, errlen, "cannot mark the process not dumpable: %s", strerror(errno));
		return -1;
	}
	return 0;
}
