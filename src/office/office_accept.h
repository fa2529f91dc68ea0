/* office_accept: the counter's acceptance page, where an officer scans a
 * pre-registration slip's QR code (the scanner types the code, then Enter)
 * and, for a procedure, checks the papers against the procedure's list and
 * either accepts the complete dossier with the provincial system's dossier
 * number (mã số hồ sơ), printing the receipt-and-appointment paper with the
 * date counted from that moment, or prints the one list of missing papers;
 * for a complaint or denunciation, marks the signed letter received, which
 * starts its clock. Everything is recorded in the kiosk's store
 * (dbcounter.h) and goes upstream with the next sync; no upstream network
 * is needed. The citizen's name on the paper comes from the citizen in
 * front of the officer (a scan of their CCCD's QR code), is printed and
 * never stored: the identity in the store stays sealed to the upstream key.
 * Refusals (unknown code, accepted or withdrawn already, a wrong dossier
 * number, another counter first) say why, and nothing changes. */
#ifndef MOTCUA_OFFICE_ACCEPT_H
#define MOTCUA_OFFICE_ACCEPT_H

#include "office_http.h"

extern const office_route office_accept_routes[];

/* The full name in a CCCD QR code's text ("id|old id|name|birth|sex|address|issued",
 * the old id may be left out) into out; 0, or -1 when it does not read as one. */
int office_accept_cccd_name(const char *qr, char *out, size_t outlen);

#endif
