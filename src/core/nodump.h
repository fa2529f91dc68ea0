/* nodump: keeps citizens' identities out of core dumps.
 *
 * Each program holds, for a while, things that must never reach a disk in
 * the clear: a citizen's name and ID number being typed (kiosk), a
 * denouncer's identity being opened (server), keys (all three). A crash
 * that writes a core file, or another process of the same user attaching
 * a debugger, would copy them out. nodump_process turns both off for the
 * whole process; the systemd units also set LimitCORE=0, so a unit that
 * runs an older binary is covered too. Debugging a live kiosk then needs
 * root, which is the point. */
#ifndef MOTCUA_NODUMP_H
#define MOTCUA_NODUMP_H

#include <stddef.h>

/* Sets the core-file limit to zero and marks the process not dumpable
 * (prctl PR_SET_DUMPABLE 0: no core, no ptrace by the same user, /proc
 * files owned by root). Call first thing in main. 0, or -1 with why. */
int nodump_process(char *err, size_t errlen);

#endif
