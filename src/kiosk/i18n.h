/* i18n: the kiosk's own texts in Vietnamese and English.
 *
 * The code names a text by an id (T_HOME_FILE); the list below gives each
 * id its key in the translation files (assets/lang/vi.po, en.po: see tr.h
 * and docs/translation.md) and the printf conversions the code passes it,
 * NULL for a text shown as it is. The texts themselves are only in those
 * files: i18n_load reads them at start-up and refuses to go on when one is
 * missing or takes other conversions, so a missing translation stops the
 * kiosk with the file and key named rather than showing a blank button.
 * Texts that come from the catalog (the categories, procedures and field
 * labels) are not here. */
#ifndef MOTCUA_I18N_H
#define MOTCUA_I18N_H

#include <stddef.h>
#include "catalog.h"
#include "tr.h"

#define I18N_TEXTS(X) \
	X(APP_TITLE, "kiosk.app_title", NULL) \
	X(HOME_FILE, "kiosk.home.file", NULL) \
	X(HOME_FILE_HINT, "kiosk.home.file_hint", NULL) \
	X(HOME_LOOKUP, "kiosk.home.lookup", NULL) \
	X(HOME_LOOKUP_HINT, "kiosk.home.lookup_hint", NULL) \
	X(HOME_HELP, "kiosk.home.help", NULL) \
	X(HOME_LARGER, "kiosk.home.larger", NULL) \
	X(HOME_SMALLER, "kiosk.home.smaller", NULL) \
	X(LANG_OTHER, "kiosk.lang_other", NULL) \
	X(BACK, "kiosk.back", NULL) \
	X(PROMPT_HOME, "kiosk.prompt.home", NULL) \
	X(PROMPT_CATEGORY, "kiosk.prompt.category", NULL) \
	X(PROMPT_PROCEDURE, "kiosk.prompt.procedure", NULL) \
	X(PROMPT_FORM, "kiosk.prompt.form", NULL) \
	X(PROMPT_REVIEW, "kiosk.prompt.review", NULL) \
	X(PROMPT_RECEIPT, "kiosk.prompt.receipt", NULL) \
	X(PROMPT_LOOKUP, "kiosk.prompt.lookup", NULL) \
	X(PROMPT_STATUS, "kiosk.prompt.status", NULL) \
	X(PROMPT_ERROR, "kiosk.prompt.error", NULL) \
	X(PROMPT_PIN, "kiosk.prompt.pin", NULL) \
	X(PROMPT_STAFF, "kiosk.prompt.staff", NULL) \
	X(PROMPT_TICKET, "kiosk.prompt.ticket", NULL) \
	X(PROMPT_TICKET_KIND, "kiosk.prompt.ticket_kind", NULL) \
	X(PROMPT_TICKET_DONE, "kiosk.prompt.ticket_done", NULL) \
	X(PROMPT_GUIDE_LIST, "kiosk.prompt.guide_list", NULL) \
	X(PROMPT_GUIDE, "kiosk.prompt.guide", NULL) \
	X(PROMPT_RATING_HOW, "kiosk.prompt.rating_how", NULL) \
	X(PROMPT_RATING_ENTRY, "kiosk.prompt.rating_entry", NULL) \
	X(PROMPT_RATING_ASK, "kiosk.prompt.rating_ask", NULL) \
	X(PROMPT_RATING_COMMENT, "kiosk.prompt.rating_comment", NULL) \
	X(PROMPT_RATING_DONE, "kiosk.prompt.rating_done", NULL) \
	X(AID_SPEAK, "kiosk.aid.speak", NULL) \
	X(AID_CALL, "kiosk.aid.call", NULL) \
	X(AID_CALLED, "kiosk.aid.called", NULL) \
	X(AID_CALLED_ALREADY, "kiosk.aid.called_already", NULL) \
	X(AID_CALL_FAILED, "kiosk.aid.call_failed", NULL) \
	X(AID_CALLED_SHORT, "kiosk.aid.called_short", NULL) \
	X(AID_CALL_FAILED_SHORT, "kiosk.aid.call_failed_short", NULL) \
	X(NEXT, "kiosk.next", NULL) \
	X(CATEGORY_TITLE, "kiosk.category_title", NULL) \
	X(PROCEDURE_TITLE, "kiosk.procedure_title", NULL) \
	X(PAGE_PREV, "kiosk.page.prev", NULL) \
	X(PAGE_NEXT, "kiosk.page.next", NULL) \
	X(SAME_DAY, "kiosk.same_day", NULL) \
	X(WORKING_DAYS, "kiosk.working_days", "%d") \
	X(CALENDAR_DAYS, "kiosk.calendar_days", "%d") \
	X(REQUIRED, "kiosk.required", NULL) \
	X(OPTIONAL, "kiosk.optional", NULL) \
	X(ERR_REQUIRED, "kiosk.err.required", NULL) \
	X(ERR_TOO_LONG, "kiosk.err.too_long", "%d") \
	X(ERR_CONTROL, "kiosk.err.control", NULL) \
	X(ERR_PHONE, "kiosk.err.phone", NULL) \
	X(ERR_CITIZEN_ID, "kiosk.err.citizen_id", NULL) \
	X(ERR_DATE, "kiosk.err.date", NULL) \
	X(FORM_FIX, "kiosk.form_fix", NULL) \
	X(REVIEW_TITLE, "kiosk.review.title", NULL) \
	X(REVIEW_EDIT, "kiosk.review.edit", NULL) \
	X(REVIEW_SUBMIT, "kiosk.review.submit", NULL) \
	X(REVIEW_WHAT, "kiosk.review.what", NULL) \
	X(REVIEW_SMS_OFF, "kiosk.review.sms_off", NULL) \
	X(REVIEW_SMS_ON, "kiosk.review.sms_on", NULL) \
	X(REVIEW_SMS_DENOUNCE, "kiosk.review.sms_denounce", NULL) \
	X(EMPTY_VALUE, "kiosk.empty_value", NULL) \
	X(DEADLINE, "kiosk.deadline", NULL) \
	X(DEADLINE_ACCEPT, "kiosk.deadline.accept", NULL) \
	X(DEADLINE_COUNTER, "kiosk.deadline.counter", NULL) \
	X(DEADLINE_LETTER, "kiosk.deadline.letter", NULL) \
	X(DEADLINE_CONFERENCE, "kiosk.deadline.conference", NULL) \
	X(DEADLINE_NO_CONFERENCE, "kiosk.deadline.no_conference", NULL) \
	X(RECEIPT_TITLE, "kiosk.receipt.title", NULL) \
	X(RECEIPT_CODE, "kiosk.receipt.code", NULL) \
	X(RECEIPT_ID, "kiosk.receipt.id", NULL) \
	X(RECEIPT_TIME, "kiosk.receipt.time", NULL) \
	X(RECEIPT_NEXT, "kiosk.receipt.next", "%s") \
	X(RECEIPT_PHOTO, "kiosk.receipt.photo", NULL) \
	X(PRINT_BUSY, "kiosk.print.busy", NULL) \
	X(PRINT_DONE, "kiosk.print.done", NULL) \
	X(PRINT_DONE_LETTER, "kiosk.print.done_letter", NULL) \
	X(PRINT_FAILED, "kiosk.print.failed", "%s") \
	X(PRINTER_NO_PRINTER, "kiosk.printer.no_printer", NULL) \
	X(PRINTER_OFFLINE, "kiosk.printer.offline", NULL) \
	X(PRINTER_PAPER_OUT, "kiosk.printer.paper_out", NULL) \
	X(PRINTER_COVER_OPEN, "kiosk.printer.cover_open", NULL) \
	X(PRINTER_WRITE_FAILED, "kiosk.printer.write_failed", NULL) \
	X(PAPER_OFFICE, "kiosk.paper.office", NULL) \
	X(PAPER_HEADING, "kiosk.paper.heading", NULL) \
	X(PAPER_WHAT, "kiosk.paper.what", NULL) \
	X(PAPER_NAME, "kiosk.paper.name", NULL) \
	X(PAPER_HOW, "kiosk.paper.how", "%s") \
	X(PAPER_TEST, "kiosk.paper.test", NULL) \
	X(PAPER_WIDTH, "kiosk.paper.width", "%s %d") \
	X(PAPER_PRINTED, "kiosk.paper.printed", "%s") \
	X(LETTER_COMPLAINT, "kiosk.letter.complaint", NULL) \
	X(LETTER_DENUNCIATION, "kiosk.letter.denunciation", NULL) \
	X(LETTER_TO, "kiosk.letter.to", NULL) \
	X(LETTER_SIGN, "kiosk.letter.sign", NULL) \
	X(LETTER_SECRET, "kiosk.letter.secret", NULL) \
	X(LETTER_HAND_IN, "kiosk.letter.hand_in", NULL) \
	X(STAFF_PRINTER, "kiosk.staff.printer", "%s") \
	X(STAFF_PRINTER_NONE, "kiosk.staff.printer_none", NULL) \
	X(STAFF_PRINT_TEST, "kiosk.staff.print_test", NULL) \
	X(PRINTER_IDLE, "kiosk.printer.idle", NULL) \
	X(PRINTER_BUSY, "kiosk.printer.busy", NULL) \
	X(PRINTER_PRINTED, "kiosk.printer.printed", "%s") \
	X(PRINTER_FAILED, "kiosk.printer.failed", "%s %s") \
	X(DONE, "kiosk.done", NULL) \
	X(LOOKUP_TITLE, "kiosk.lookup.title", NULL) \
	X(LOOKUP_HINT, "kiosk.lookup.hint", NULL) \
	X(LOOKUP_SUBMIT, "kiosk.lookup.submit", NULL) \
	X(LOOKUP_MALFORMED, "kiosk.lookup.malformed", NULL) \
	X(LOOKUP_CCCD, "kiosk.lookup.cccd", NULL) \
	X(LOOKUP_BADCHECK, "kiosk.lookup.badcheck", NULL) \
	X(LOOKUP_UNKNOWN, "kiosk.lookup.unknown", NULL) \
	X(STATUS_TITLE, "kiosk.status.title", NULL) \
	X(STATUS_READ_ALL, "kiosk.status.read_all", NULL) \
	X(STATUS_DETAILS, "kiosk.status.details", NULL) \
	X(STATUS_ALL_TITLE, "kiosk.status.all_title", NULL) \
	X(STATUS_OVERDUE, "kiosk.status.overdue", NULL) \
	X(ST_RECEIVED, "status.received.kiosk", NULL) \
	X(ST_SYNCED, "status.synced.kiosk", "%s") \
	X(ST_ACCEPTED, "status.accepted.kiosk", NULL) \
	X(ST_IN_PROGRESS, "status.in_progress.kiosk", NULL) \
	X(ST_RESOLVED, "status.resolved.kiosk", NULL) \
	X(ST_REJECTED, "status.rejected.kiosk", NULL) \
	X(ST_SUPPLEMENT, "status.supplement.kiosk", NULL) \
	X(ST_WITHDRAWN, "status.withdrawn.kiosk", NULL) \
	X(ADVICE_RECEIVED, "kiosk.advice.received", NULL) \
	X(ADVICE_SYNCED, "kiosk.advice.synced", NULL) \
	X(ADVICE_ACCEPTED, "kiosk.advice.accepted", NULL) \
	X(ADVICE_SUPPLEMENT, "kiosk.advice.supplement", NULL) \
	X(ADVICE_RESOLVED, "kiosk.advice.resolved", NULL) \
	X(ADVICE_REJECTED, "kiosk.advice.rejected", NULL) \
	X(ADVICE_WITHDRAWN, "kiosk.advice.withdrawn", NULL) \
	X(ERROR_TITLE, "kiosk.error.title", NULL) \
	X(ERROR_MESSAGE, "kiosk.error.message", NULL) \
	X(ERROR_RETRY, "kiosk.error.retry", NULL) \
	X(HOME, "kiosk.home", NULL) \
	X(IDLE_MESSAGE, "kiosk.idle.message", "%d") \
	X(IDLE_RECEIPT, "kiosk.idle.receipt", "%d") \
	X(IDLE_CONTINUE, "kiosk.idle.continue", NULL) \
	X(PIN_TITLE, "kiosk.pin.title", NULL) \
	X(PIN_HINT, "kiosk.pin.hint", NULL) \
	X(PIN_WRONG, "kiosk.pin.wrong", NULL) \
	X(PIN_NONE, "kiosk.pin.none", NULL) \
	X(STAFF_TITLE, "kiosk.staff.title", NULL) \
	X(STAFF_EXIT, "kiosk.staff.exit", NULL) \
	X(STAFF_COUNT, "kiosk.staff.count", "%lld %lld %lld") \
	X(STAFF_NO_DB, "kiosk.staff.no_db", NULL) \
	X(STAFF_SYNC, "kiosk.staff.sync", NULL) \
	X(STAFF_EXPORT, "kiosk.staff.export", NULL) \
	X(STAFF_IMPORT, "kiosk.staff.import", NULL) \
	X(STAFF_CLOCK_OK, "kiosk.staff.clock_ok", NULL) \
	X(STAFF_CLOCK_BEHIND, "kiosk.staff.clock_behind", "%s") \
	X(STAFF_CLOCK_AHEAD, "kiosk.staff.clock_ahead", "%s") \
	X(STAFF_CLOCK_UNKNOWN, "kiosk.staff.clock_unknown", NULL) \
	X(STAFF_DAYS, "kiosk.staff.days", "%lld %lld") \
	X(STAFF_HOURS, "kiosk.staff.hours", "%lld %02lld") \
	X(STAFF_MINUTES, "kiosk.staff.minutes", "%lld %02lld") \
	X(STAFF_SECONDS, "kiosk.staff.seconds", "%lld") \
	X(STAFF_WAITING, "kiosk.staff.waiting", NULL) \
	X(STAFF_SENDING, "kiosk.staff.sending", "%lld %lld") \
	X(STAFF_WORKING_NOW, "kiosk.staff.working_now", NULL) \
	X(STAFF_WORKING_EXPORT, "kiosk.staff.working_export", NULL) \
	X(STAFF_WORKING_IMPORT, "kiosk.staff.working_import", NULL) \
	X(STAFF_SYNC_OK, "kiosk.staff.sync_ok", "%lld %lld") \
	X(STAFF_EXPORT_OK, "kiosk.staff.export_ok", "%lld %s") \
	X(STAFF_EXPORT_MANY, "kiosk.staff.export_many", "%lld %d %s") \
	X(STAFF_IMPORT_OK, "kiosk.staff.import_ok", "%lld %lld %lld") \
	X(STAFF_START_FAILED, "kiosk.staff.start_failed", NULL) \
	X(STAFF_CLOCK_BACK, "kiosk.staff.clock_back", "%s") \
	X(SYNC_ERR_NOT_CONFIGURED, "kiosk.sync.err_not_configured", NULL) \
	X(SYNC_ERR_NO_NETWORK, "kiosk.sync.err_no_network", NULL) \
	X(SYNC_ERR_NOT_REGISTERED, "kiosk.sync.err_not_registered", NULL) \
	X(SYNC_ERR_REVOKED, "kiosk.sync.err_revoked", NULL) \
	X(SYNC_ERR_REFUSED, "kiosk.sync.err_refused", NULL) \
	X(SYNC_ERR_BAD_ANSWER, "kiosk.sync.err_bad_answer", NULL) \
	X(SYNC_ERR_CLOCK, "kiosk.sync.err_clock", NULL) \
	X(SYNC_ERR_CONFLICT, "kiosk.sync.err_conflict", NULL) \
	X(SYNC_ERR_LOCAL, "kiosk.sync.err_local", NULL) \
	X(SYNC_ERR_STOPPED, "kiosk.sync.err_stopped", NULL) \
	X(SYNC_ERR_NO_USB, "kiosk.sync.err_no_usb", NULL) \
	X(SYNC_ERR_NO_ANSWER, "kiosk.sync.err_no_answer", NULL) \
	X(PIN_WRONG_LEFT, "kiosk.pin.wrong_left", "%d") \
	X(PIN_LOCKED, "kiosk.pin.locked", "%d") \
	X(HOME_RATE, "kiosk.home.rate", "%d %lld") \
	X(CONFERENCE, "kiosk.conference", "%s %s %s %s") \
	X(CONFERENCE_SHORT, "kiosk.conference.short", "%s") \
	X(STATUS_LATE, "kiosk.status.late", "%s") \
	X(OFFICE_LEVEL, "kiosk.office_level", NULL) \
	X(SYNC_LAST, "kiosk.sync.last", "%s") \
	X(SYNC_NEVER, "kiosk.sync.never", NULL) \
	X(SYNC_FAILED, "kiosk.sync.failed", "%s") \
	X(SYNC_FAILED_SHORT, "kiosk.sync.failed_short", NULL) \
	X(SYNC_PENDING, "kiosk.sync.pending", "%lld") \
	X(STATUS_UPDATED, "kiosk.status.updated", "%s %s") \
	X(STATUS_NO_UPDATE, "kiosk.status.no_update", "%s") \
	X(KEY_SPACE, "kiosk.key.space", NULL) \
	X(KEY_NEXT, "kiosk.key.next", NULL) \
	X(KEY_DELETE, "kiosk.key.delete", NULL) \
	X(HOME_TICKET, "kiosk.home.ticket", NULL) \
	X(TICKET_TITLE, "kiosk.ticket.title", NULL) \
	X(TICKET_CHOOSE, "kiosk.ticket.choose", NULL) \
	X(TICKET_WAITING, "kiosk.ticket.waiting", "%d") \
	X(TICKET_KIND, "kiosk.ticket.kind", NULL) \
	X(TICKET_NORMAL, "kiosk.ticket.normal", NULL) \
	X(TICKET_PRIORITY, "kiosk.ticket.priority", NULL) \
	X(TICKET_PRIORITY_HINT, "kiosk.ticket.priority_hint", NULL) \
	X(TICKET_YOUR, "kiosk.ticket.your", NULL) \
	X(TICKET_AHEAD, "kiosk.ticket.ahead", "%d") \
	X(TICKET_NEXT, "kiosk.ticket.next", NULL) \
	X(TICKET_WAIT, "kiosk.ticket.wait", "%d") \
	X(TICKET_WATCH, "kiosk.ticket.watch", NULL) \
	X(TICKET_ERROR, "kiosk.ticket.error", NULL) \
	X(TICKET_PRINT_BUSY, "kiosk.ticket.print_busy", NULL) \
	X(TICKET_PRINT_DONE, "kiosk.ticket.print_done", NULL) \
	X(TICKET_PRINT_FAILED, "kiosk.ticket.print_failed", "%s") \
	X(PAPER_TICKET, "kiosk.paper.ticket", NULL) \
	X(PAPER_TICKET_TIME, "kiosk.paper.ticket_time", "%s") \
	X(HOME_GUIDE, "kiosk.home.guide", NULL) \
	X(GUIDE_TITLE, "kiosk.guide.title", NULL) \
	X(GUIDE_TIME, "kiosk.guide.time", NULL) \
	X(GUIDE_FEE, "kiosk.guide.fee", NULL) \
	X(GUIDE_WHERE, "kiosk.guide.where", NULL) \
	X(GUIDE_PAPERS, "kiosk.guide.papers", NULL) \
	X(GUIDE_PORTAL, "kiosk.guide.portal", "%s") \
	X(GUIDE_PRINT, "kiosk.guide.print", NULL) \
	X(GUIDE_CONTINUE, "kiosk.guide.continue", NULL) \
	X(GUIDE_PRINT_BUSY, "kiosk.guide.print_busy", NULL) \
	X(GUIDE_PRINT_DONE, "kiosk.guide.print_done", NULL) \
	X(GUIDE_PRINT_FAILED, "kiosk.guide.print_failed", "%s") \
	X(PAPER_GUIDE, "kiosk.paper.guide", NULL) \
	X(HOME_RATING, "kiosk.home.rating", NULL) \
	X(RATING_TITLE, "kiosk.rating.title", NULL) \
	X(RATING_HOW, "kiosk.rating.how", NULL) \
	X(RATING_WITH, "kiosk.rating.with", NULL) \
	X(RATING_WITHOUT, "kiosk.rating.without", NULL) \
	X(RATING_ENTRY_HINT, "kiosk.rating.entry_hint", NULL) \
	X(RATING_NEXT, "kiosk.rating.next", NULL) \
	X(RATING_UNKNOWN, "kiosk.rating.unknown", NULL) \
	X(RATING_DUPLICATE, "kiosk.rating.duplicate", NULL) \
	X(RATING_LIMITED, "kiosk.rating.limited", NULL) \
	X(RATING_Q_RECEPTION, "kiosk.rating.q.reception", NULL) \
	X(RATING_Q_TIME, "kiosk.rating.q.time", NULL) \
	X(RATING_Q_ATTITUDE, "kiosk.rating.q.attitude", NULL) \
	X(RATING_Q_RESULT, "kiosk.rating.q.result", NULL) \
	X(RATING_Q_OVERALL, "kiosk.rating.q.overall", NULL) \
	X(RATING_STEP, "kiosk.rating.step", "%d %d") \
	X(RATING_FACE_1, "kiosk.rating.face1", NULL) \
	X(RATING_FACE_2, "kiosk.rating.face2", NULL) \
	X(RATING_FACE_3, "kiosk.rating.face3", NULL) \
	X(RATING_COMMENT, "kiosk.rating.comment", NULL) \
	X(RATING_SEND, "kiosk.rating.send", NULL) \
	X(RATING_THANKS, "kiosk.rating.thanks", NULL) \
	X(RATING_ERROR, "kiosk.rating.error", NULL) \
	X(KEY_TONE_NONE, "kiosk.key.tone0", NULL) \
	X(FORM_KB_HINT, "kiosk.form.kb_hint", NULL) \
	X(FORM_KB_HINT_VNI, "kiosk.form.kb_hint_vni", NULL) \
	X(FORM_DATE_HINT, "kiosk.form.date_hint", NULL) \
	X(SCAN_FILLED, "kiosk.scan.filled", NULL) \
	X(SCAN_NO_MARKS, "kiosk.scan.no_marks", NULL) \
	X(SCAN_NOT_CCCD, "kiosk.scan.not_cccd", NULL)

typedef enum {
#define I18N_ENUM(id, key, format) T_##id,
	I18N_TEXTS(I18N_ENUM)
#undef I18N_ENUM
	T_COUNT
} i18n_id;

/* Reads assets_dir/lang/ and resolves every id; 0, or -1 with err naming
 * the file, line and key. Called once, before any thread starts; a second
 * call replaces the texts. */
int i18n_load(const char *assets_dir, char *err, size_t errlen);

/* The text in language l; it lives until the next i18n_load. Before a
 * load, the key itself (a programming error that shows on screen). */
const char *i18n(lang l, i18n_id id);

/* The ids' keys and conversions, T_COUNT of them (for the tests). */
const tr_key *i18n_keys(void);

#endif
