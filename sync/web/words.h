/* words: the words of the server's pages: the phone page, the public
 * figures and the officials' console.
 *
 * The pages name a text by an id (W_PAGE_TITLE, W_STATS_SITE, W_INBOX);
 * the list below gives each id its key in the translation files
 * (assets/lang/vi.po and en.po, see tr.h and docs/translation.md) and the
 * printf conversions the page fills in, NULL for a text written as it is.
 * The texts are plain text without < > & or " (words_load refuses them),
 * so a page may write one as it is or escaped alike; data never goes into
 * them but through the conversions, escaped (html_fill). The statuses' names come
 * in status.h's order, so that W_STAFF_RECEIVED + status_parse(name) is a
 * status's id. words_load reads the files once at start-up, before any
 * thread; a missing key or one with other conversions stops the server
 * with the file, line and key named. */
#ifndef MOTCUA_WORDS_H
#define MOTCUA_WORDS_H

#include <stddef.h>
#include "catalog.h"
#include "tr.h"

#define WORDS(X) \
	/* The phone page (page.c) */ \
	X(PAGE_OTHER_NAME, "page.other_name", NULL) \
	X(PAGE_SITE, "page.site", NULL) \
	X(PAGE_TITLE, "page.title", NULL) \
	X(PAGE_CODE, "page.code", NULL) \
	X(PAGE_CATEGORY, "page.category", NULL) \
	X(PAGE_PROCEDURE, "page.procedure", NULL) \
	X(PAGE_RECEIVED, "page.received", NULL) \
	X(PAGE_DUE, "page.due", NULL) \
	X(PAGE_DUE_ACCEPT, "page.due_accept", NULL) \
	X(PAGE_NO_CONFERENCE, "page.no_conference", NULL) \
	X(PAGE_OFFICE, "page.office", NULL) \
	X(PAGE_UPDATED, "page.updated", NULL) \
	X(PAGE_HISTORY, "page.history", NULL) \
	X(PAGE_LATE, "page.late", NULL) \
	X(PAGE_OVERDUE_TITLE, "page.overdue_title", NULL) \
	X(PAGE_OVERDUE_TEXT, "page.overdue_text", NULL) \
	X(PAGE_LATE_TITLE, "page.late_title", NULL) \
	X(PAGE_APPOINTMENT, "page.appointment", NULL) \
	X(PAGE_FOOTER, "page.footer", NULL) \
	X(PAGE_UNKNOWN_TITLE, "page.unknown_title", NULL) \
	X(PAGE_UNKNOWN_TEXT, "page.unknown_text", NULL) \
	X(PAGE_UNKNOWN_MORE, "page.unknown_more", NULL) \
	X(PAGE_OFFICE_DEFAULT, "page.office_default", NULL) \
	X(PAGE_OMITTED, "page.omitted", "%d") \
	X(PAGE_NOT_FOUND_SHORT, "page.not_found.short", NULL) \
	X(PAGE_NOT_FOUND_HEADING, "page.not_found.heading", NULL) \
	X(PAGE_NOT_FOUND_TEXT, "page.not_found.text", "%s") \
	/* The phone page's rating (rate_form.c): the criteria and faces are the kiosk's words */ \
	X(RATE_TITLE, "kiosk.rating.title", NULL) \
	X(RATE_INTRO, "page.rate.intro", NULL) \
	X(RATE_INCOMPLETE, "page.rate.incomplete", NULL) \
	X(RATE_DONE, "page.rate.done", NULL) \
	X(RATE_THANKS, "kiosk.rating.thanks", NULL) \
	X(RATE_SEND, "kiosk.rating.send", NULL) \
	X(RATE_Q_RECEPTION, "kiosk.rating.q.reception", NULL) \
	X(RATE_Q_TIME, "kiosk.rating.q.time", NULL) \
	X(RATE_Q_ATTITUDE, "kiosk.rating.q.attitude", NULL) \
	X(RATE_Q_RESULT, "kiosk.rating.q.result", NULL) \
	X(RATE_Q_OVERALL, "kiosk.rating.q.overall", NULL) \
	X(RATE_FACE1, "kiosk.rating.face1", NULL) \
	X(RATE_FACE2, "kiosk.rating.face2", NULL) \
	X(RATE_FACE3, "kiosk.rating.face3", NULL) \
	/* What a status is called for citizens on the phone page, in status.h's order; %s is the office */ \
	X(CITIZEN_RECEIVED, "status.received", NULL) \
	X(CITIZEN_SYNCED, "status.synced", "%s") \
	X(CITIZEN_ACCEPTED, "status.accepted", "%s") \
	X(CITIZEN_IN_PROGRESS, "status.in_progress", "%s") \
	X(CITIZEN_SUPPLEMENT, "status.supplement", NULL) \
	X(CITIZEN_RESOLVED, "status.resolved", NULL) \
	X(CITIZEN_REJECTED, "status.rejected", NULL) \
	X(CITIZEN_WITHDRAWN, "status.withdrawn", NULL) \
	/* What the phone page tells a citizen to do next */ \
	X(HINT_SYNCED, "status.synced.hint", NULL) \
	X(HINT_SUPPLEMENT, "status.supplement.hint", NULL) \
	X(HINT_RESOLVED, "status.resolved.hint", NULL) \
	X(HINT_REJECTED, "status.rejected.hint", NULL) \
	/* What a status is called on the console, in status.h's order */ \
	X(STAFF_RECEIVED, "status.received.staff", NULL) \
	X(STAFF_SYNCED, "status.synced.staff", NULL) \
	X(STAFF_ACCEPTED, "status.accepted.staff", NULL) \
	X(STAFF_IN_PROGRESS, "status.in_progress.staff", NULL) \
	X(STAFF_SUPPLEMENT, "status.supplement.staff", NULL) \
	X(STAFF_RESOLVED, "status.resolved.staff", NULL) \
	X(STAFF_REJECTED, "status.rejected.staff", NULL) \
	X(STAFF_WITHDRAWN, "status.withdrawn.staff", NULL) \
	/* The public figures (stats_page.c) */ \
	X(STATS_OTHER_NAME, "stats.other_name", NULL) \
	X(STATS_SITE, "stats.site", NULL) \
	X(STATS_TITLE_ALL, "stats.title_all", NULL) \
	X(STATS_COMMUNE, "stats.commune", "%s") \
	X(STATS_BACK, "stats.back", NULL) \
	X(STATS_THOUSANDS, "stats.thousands", NULL) \
	X(STATS_DECIMAL, "stats.decimal", NULL) \
	X(STATS_YEAR_TITLE, "stats.year_title", "%d") \
	X(STATS_MONTH_TITLE, "stats.month_title", "%s %d") \
	X(STATS_MONTH_1, "stats.month.1", NULL) \
	X(STATS_MONTH_2, "stats.month.2", NULL) \
	X(STATS_MONTH_3, "stats.month.3", NULL) \
	X(STATS_MONTH_4, "stats.month.4", NULL) \
	X(STATS_MONTH_5, "stats.month.5", NULL) \
	X(STATS_MONTH_6, "stats.month.6", NULL) \
	X(STATS_MONTH_7, "stats.month.7", NULL) \
	X(STATS_MONTH_8, "stats.month.8", NULL) \
	X(STATS_MONTH_9, "stats.month.9", NULL) \
	X(STATS_MONTH_10, "stats.month.10", NULL) \
	X(STATS_MONTH_11, "stats.month.11", NULL) \
	X(STATS_MONTH_12, "stats.month.12", NULL) \
	X(STATS_PERIOD, "stats.period", "%s %s") \
	X(STATS_COMPUTED, "stats.computed", "%s") \
	X(STATS_COMMUNE_COL, "stats.commune_col", NULL) \
	X(STATS_CATEGORY_COL, "stats.category_col", NULL) \
	X(STATS_TOTAL_ROW, "stats.total_row", NULL) \
	X(STATS_COL_RECEIVED, "stats.col.received", NULL) \
	X(STATS_COL_RESOLVED, "stats.col.resolved", NULL) \
	X(STATS_COL_ON_TIME, "stats.col.on_time", NULL) \
	X(STATS_COL_RATE, "stats.col.rate", NULL) \
	X(STATS_COL_MEDIAN, "stats.col.median", NULL) \
	X(STATS_COL_OVERDUE, "stats.col.overdue", NULL) \
	X(STATS_CHART_TITLE, "stats.chart_title", "%d") \
	X(STATS_CARD_RECEIVED, "stats.card.received", NULL) \
	X(STATS_CARD_RESOLVED, "stats.card.resolved", NULL) \
	X(STATS_CARD_ON_TIME, "stats.card.on_time", NULL) \
	X(STATS_CARD_OVERDUE, "stats.card.overdue", NULL) \
	X(STATS_PREV, "stats.prev", NULL) \
	X(STATS_NEXT, "stats.next", NULL) \
	X(STATS_PAGE, "stats.page", "%d %d") \
	X(STATS_NOTE_HIDDEN, "stats.note.hidden", NULL) \
	X(STATS_NOTE_RECEIVED, "stats.note.received", NULL) \
	X(STATS_NOTE_RESOLVED, "stats.note.resolved", NULL) \
	X(STATS_NOTE_ON_TIME, "stats.note.on_time", NULL) \
	X(STATS_NOTE_MEDIAN, "stats.note.median", NULL) \
	X(STATS_NOTE_OVERDUE, "stats.note.overdue", NULL) \
	X(STATS_NOT_FOUND_TITLE, "stats.not_found_title", NULL) \
	X(STATS_QUEUE_TITLE, "stats.queue.title", "%d") \
	X(STATS_QUEUE_FIELD, "stats.queue.field", NULL) \
	X(STATS_QUEUE_COUNTER, "stats.queue.counter", NULL) \
	X(STATS_QUEUE_SERVED, "stats.queue.served", NULL) \
	X(STATS_QUEUE_SKIPPED, "stats.queue.skipped", NULL) \
	X(STATS_QUEUE_WAIT, "stats.queue.wait", NULL) \
	X(STATS_QUEUE_WAIT_MAX, "stats.queue.wait_max", NULL) \
	X(STATS_QUEUE_SERVICE, "stats.queue.service", NULL) \
	X(STATS_QUEUE_MINUTES, "stats.queue.minutes", NULL) \
	X(STATS_QUEUE_NONE, "stats.queue.none", NULL) \
	X(STATS_QUEUE_NOTE, "stats.queue.note", NULL) \
	X(STATS_MARK_HIDDEN, "stats.mark.hidden", NULL) \
	X(STATS_MARK_NONE, "stats.mark.none", NULL) \
	X(STATS_LEGEND, "stats.legend", NULL) \
	X(STATS_EMPTY_TITLE, "stats.empty.title", NULL) \
	X(STATS_EMPTY_TEXT, "stats.empty.text", NULL) \
	X(STATS_TREND_TITLE, "stats.trend.title", NULL) \
	X(STATS_TREND_NONE, "stats.trend.none", NULL) \
	X(STATS_TREND_MONTH, "stats.trend.month", NULL) \
	X(STATS_DOWNLOAD, "stats.download", NULL) \
	X(STATS_RATINGS_TITLE, "stats.ratings.title", NULL) \
	X(STATS_RATINGS_NONE, "stats.ratings.none", NULL) \
	X(STATS_RATINGS_N, "stats.ratings.n", NULL) \
	X(STATS_RATINGS_NEITHER, "stats.ratings.neither", NULL) \
	X(STATS_RATINGS_ANY_COUNTER, "stats.ratings.any_counter", NULL) \
	X(STATS_RATINGS_FEW, "stats.ratings.few", NULL) \
	X(STATS_RATINGS_NOTE, "stats.ratings.note", NULL) \
	X(STATS_NOT_FOUND_TEXT, "stats.not_found_text", NULL) \
	/* The officials' console (console*.c) */ \
	X(TITLE, "console.title", NULL) \
	X(INBOX, "console.inbox", NULL) \
	X(CONFERENCES, "console.conferences", NULL) \
	X(AUDIT, "console.audit", NULL) \
	X(LOGOUT, "console.logout", NULL) \
	X(OTHER_LANG, "console.other_lang", NULL) \
	X(SIGNED_IN, "console.signed_in", NULL) \
	X(LOGIN, "console.login", NULL) \
	X(NAME, "console.name", NULL) \
	X(PASSWORD, "console.password", NULL) \
	X(EXPIRED, "console.expired", NULL) \
	X(LOGGED_OUT, "console.logged_out", NULL) \
	X(TOO_MANY, "console.too_many", NULL) \
	X(COMMUNE, "console.commune", NULL) \
	X(CATEGORY, "console.category", NULL) \
	X(STATUS, "console.status", NULL) \
	X(ANY, "console.any", NULL) \
	X(OPEN, "console.open", NULL) \
	X(OVERDUE_ONLY, "console.overdue_only", NULL) \
	X(FILTER, "console.filter", NULL) \
	X(TOTAL, "console.total", NULL) \
	X(OPEN_COUNT, "console.open_count", NULL) \
	X(OVERDUE, "console.overdue", NULL) \
	X(DEADLINE, "console.deadline", NULL) \
	X(RECEIPT, "console.receipt", NULL) \
	X(PROCEDURE, "console.procedure", NULL) \
	X(RECEIVED, "console.received", NULL) \
	X(NONE, "console.none", NULL) \
	X(PREV, "console.prev", NULL) \
	X(NEXT, "console.next", NULL) \
	X(PAGE, "console.page", NULL) \
	X(REQUEST, "console.request", NULL) \
	X(REQUEST_ID, "console.request_id", NULL) \
	X(ACCEPTED, "console.accepted", NULL) \
	X(DEADLINE_NOW, "console.deadline_now", NULL) \
	X(EXTENSIONS, "console.extensions", NULL) \
	X(APOLOGIES, "console.apologies", NULL) \
	X(FORWARDED, "console.forwarded", NULL) \
	X(CONFERENCE, "console.conference", NULL) \
	X(TIMELINE, "console.timeline", NULL) \
	X(IDENTITY, "console.identity", NULL) \
	X(SHOW_IDENTITY, "console.show_identity", NULL) \
	X(CONTENT, "console.content", NULL) \
	X(CONTENT_UNREADABLE, "console.content_unreadable", NULL) \
	X(CONTENT_ON_PAGE, "console.content_on_page", NULL) \
	X(REASON, "console.reason", NULL) \
	X(DENOUNCER_SECRET, "console.denouncer_secret", NULL) \
	X(DENOUNCER_SUPERVISOR, "console.denouncer_supervisor", NULL) \
	X(IDENTITY_NOTE, "console.identity_note", NULL) \
	X(ACTIONS, "console.actions", NULL) \
	X(NOTE, "console.note", NULL) \
	X(COMPLEXITY, "console.complexity", NULL) \
	X(NORMAL, "console.normal", NULL) \
	X(COMPLEX, "console.complex", NULL) \
	X(VERY_COMPLEX, "console.very_complex", NULL) \
	X(OFFICE, "console.office", NULL) \
	X(NEW_DATE, "console.new_date", NULL) \
	X(SAVE, "console.save", NULL) \
	X(SAVED, "console.saved", NULL) \
	X(FINAL, "console.final", NULL) \
	X(REQUEST_AUDIT, "console.request_audit", NULL) \
	X(ANNOUNCE, "console.announce", NULL) \
	X(WHEN, "console.when", NULL) \
	X(PLACE, "console.place", NULL) \
	X(LEADERS, "console.leaders", NULL) \
	X(TOPIC, "console.topic", NULL) \
	X(QUESTIONS, "console.questions", NULL) \
	X(EDIT, "console.edit", NULL) \
	X(DATE, "console.date", NULL) \
	X(TIME, "console.time", NULL) \
	X(NO_CONFERENCES, "console.no_conferences", NULL) \
	X(CONFERENCE_SAVED, "console.conference_saved", NULL) \
	X(WHO, "console.who", NULL) \
	X(WHAT, "console.what", NULL) \
	X(DETAIL, "console.detail", NULL) \
	X(BACK_INBOX, "console.back_inbox", NULL) \
	X(FORBIDDEN, "console.forbidden", NULL) \
	X(STALE_FORM, "console.stale_form", NULL) \
	X(NOT_FOUND, "console.not_found", NULL) \
	X(UNAVAILABLE, "console.unavailable", NULL) \
	X(BAD_CONFERENCE, "console.bad_conference", NULL) \
	X(NO_CONFERENCE_YET, "console.no_conference_yet", NULL) \
	X(CANCELLED, "console.cancelled", NULL) \
	X(CANCEL_CONFERENCE, "console.cancel_conference", NULL) \
	X(CANCEL_REASON, "console.cancel_reason", NULL) \
	X(CANCEL_CONFIRM, "console.cancel_confirm", "%lld") \
	X(CANCEL_UNCONFIRMED, "console.cancel_unconfirmed", NULL) \
	X(CANCELLED_ON, "console.cancelled_on", "%s %s %s") \
	X(CANCEL_DONE_NEXT, "console.cancel_done_next", "%lld") \
	X(CANCEL_DONE_NONE, "console.cancel_done_none", "%lld") \
	X(CANNOT_CANCEL_PAST, "console.cannot_cancel_past", NULL) \
	X(UPCOMING_ONLY, "console.upcoming_only", NULL) \
	X(ALL_COMMUNES, "console.all_communes", NULL) \
	X(PAST_TOO, "console.past_too", NULL) \
	X(WRONG_LOGIN, "console.wrong_login", NULL) \
	X(WAIT, "console.wait", NULL) \
	X(OFFICER, "console.officer", NULL) \
	X(SUPERVISOR, "console.supervisor", NULL) \
	X(IDENTITY_UNREADABLE, "console.identity_unreadable", NULL) \
	X(ACTION_ACCEPT, "console.action.accept", NULL) \
	X(ACTION_PROGRESS, "console.action.progress", NULL) \
	X(ACTION_SUPPLEMENT, "console.action.supplement", NULL) \
	X(ACTION_FORWARD, "console.action.forward", NULL) \
	X(ACTION_RESOLVE, "console.action.resolve", NULL) \
	X(ACTION_REJECT, "console.action.reject", NULL) \
	X(ACTION_EXTEND, "console.action.extend", NULL) \
	X(ACTION_RESCHEDULE, "console.action.reschedule", NULL) \
	X(ACTION_SUSPEND, "console.action.suspend", NULL) \
	X(ACTION_RESUME, "console.action.resume", NULL) \
	X(ACTION_NOTIFY, "console.action.notify", NULL) \
	X(CLOCK_TITLE, "console.clock.title", NULL) \
	X(CLOCK_LETTER, "console.clock.letter", NULL) \
	X(CLOCK_LETTER_MISSING, "console.clock.letter_missing", NULL) \
	X(CLOCK_ACCEPT_BY, "console.clock.accept_by", NULL) \
	X(CLOCK_ACCEPT_SEVERAL, "console.clock.accept_several", NULL) \
	X(CLOCK_DECIDED, "console.clock.decided", NULL) \
	X(CLOCK_NOTIFY_BY, "console.clock.notify_by", NULL) \
	X(CLOCK_NOTIFIED, "console.clock.notified", NULL) \
	X(CLOCK_NOT_YET, "console.clock.not_yet", NULL) \
	X(CLOCK_FORWARD_BY, "console.clock.forward_by", NULL) \
	X(CLOCK_SUSPENDED, "console.clock.suspended", NULL) \
	X(CLOCK_EXTENSIONS_LEFT, "console.clock.extensions_left", NULL) \
	X(LATE_WARNING, "console.late_warning", NULL) \
	X(CALENDAR_UNCONFIRMED, "console.calendar_unconfirmed", NULL) \
	X(CHECKS, "console.checks", NULL) \
	X(QUEUE, "console.queue", NULL) \
	X(DATES_TO_CHECK, "console.dates_to_check", NULL) \
	X(DATES_TO_CHECK_NOTE, "console.dates_to_check_note", NULL) \
	X(CODES_TWICE, "console.codes_twice", NULL) \
	X(CODES_TWICE_NOTE, "console.codes_twice_note", NULL) \
	X(KIOSK, "console.kiosk", NULL) \
	X(RECEIVED_SERVER, "console.received_server", NULL) \
	X(RECEIVED_KIOSK, "console.received_kiosk", NULL) \
	X(DEADLINE_KIOSK, "console.deadline_kiosk", NULL) \
	X(DEADLINE_SERVER, "console.deadline_server", NULL) \
	X(WHY, "console.why", NULL) \
	X(CODE_END, "console.code_end", NULL) \
	X(CLAIMANTS, "console.claimants", NULL) \
	X(NO_FLAGS, "console.no_flags", NULL) \
	X(TRUST_DATES, "console.trust_dates", NULL) \
	X(TRUST_HELD, "console.trust_held", NULL) \
	X(CODE_CHOSEN, "console.code_chosen", NULL) \
	X(CODE_NOT_CHOSEN, "console.code_not_chosen", NULL) \
	X(CODE_RELEASE, "console.code_release", NULL) \
	X(CODE_RELEASE_REASON, "console.code_release_reason", NULL) \
	X(CODE_RELEASE_BUTTON, "console.code_release_button", NULL) \
	X(CODE_RELEASED, "console.code_released", NULL) \
	X(CODE_RELEASE_INCOMPLETE, "console.code_release_incomplete", NULL) \
	X(CODE_RELEASE_NOT_HELD, "console.code_release_not_held", NULL) \
	X(TRUST_CLOCK, "console.trust.clock", NULL) \
	X(TRUST_RECEIVED, "console.trust.received", NULL) \
	X(TRUST_DEADLINE, "console.trust.deadline", NULL) \
	X(OUTSIDE_COMMUNES, "console.outside_communes", NULL) \
	X(NO_COMMUNES, "console.no_communes", NULL) \
	X(OFFICIAL, "console.official", NULL) \
	X(REQUEST_ID_FILTER, "console.request_id_filter", NULL) \
	X(EXCLUDE_FAILED, "console.exclude_failed", NULL) \
	X(OLDER, "console.older", NULL) \
	X(NEWEST, "console.newest", NULL) \
	X(NO_AUDIT, "console.no_audit", NULL) \
	/* An official's desk (console_desk.c, console_replies.c) */ \
	X(NEXT_REQUEST, "console.next_request", NULL) \
	X(ASSIGNEE, "console.assignee", NULL) \
	X(NOBODY, "console.nobody", NULL) \
	X(ASSIGN_TO, "console.assign_to", NULL) \
	X(ASSIGN, "console.assign", NULL) \
	X(ASSIGNED, "console.assigned", NULL) \
	X(REPLIES, "console.replies", NULL) \
	X(REPLIES_USE, "console.replies_use", NULL) \
	X(REPLIES_NOTE, "console.replies_note", NULL) \
	X(REPLY_NEW, "console.reply_new", NULL) \
	X(REPLY_SAVED, "console.reply_saved", NULL) \
	X(SMS_LOG, "console.sms_log", NULL) \
	X(SMS_NOTE, "console.sms_note", NULL) \
	X(SMS_KIND_SUPPLEMENT, "console.sms_kind_supplement", NULL) \
	X(SMS_KIND_APOLOGY, "console.sms_kind_apology", NULL) \
	X(SMS_KIND_RESULT, "console.sms_kind_result", NULL) \
	X(SMS_SENT, "console.sms_sent", NULL) \
	X(SMS_FAILED, "console.sms_failed", NULL) \
	X(SMS_QUEUED, "console.sms_queued", NULL) \
	X(SMS_TRIES, "console.sms_tries", NULL) \
	X(SMS_SENT_AT, "console.sms_sent_at", NULL) \
	X(SMS_NEXT_TRY, "console.sms_next_try", NULL) \
	X(SMS_OFFICE, "sms.office", NULL) \
	X(SMS_SUPPLEMENT, "sms.supplement", "%s%s") \
	X(SMS_APOLOGY, "sms.apology", "%s%s%s") \
	X(SMS_RESULT, "sms.result", "%s%s") \
	X(PAPERS, "console.papers", NULL) \
	X(PRINT_SUPPLEMENT, "console.print_supplement", NULL) \
	X(PRINT_REFUSAL, "console.print_refusal", NULL) \
	X(PRINT_APOLOGY, "console.print_apology", NULL) \
	X(PRINT_RESULT, "console.print_result", NULL) \
	X(PRINT_NOTICE, "console.print_notice", NULL) \
	X(PRINT_HINT, "console.print_hint", NULL) \
	X(NO_PAPER, "console.no_paper", NULL) \
	X(PAPER_SUPPLEMENT, "paper.supplement", NULL) \
	X(PAPER_REFUSAL, "paper.refusal", NULL) \
	X(PAPER_APOLOGY, "paper.apology", NULL) \
	X(PAPER_RESULT, "paper.result", NULL) \
	X(PAPER_SUPPLEMENT_LEAD, "paper.supplement_lead", NULL) \
	X(PAPER_REFUSAL_LEAD, "paper.refusal_lead", NULL) \
	X(PAPER_APOLOGY_LEAD, "paper.apology_lead", NULL) \
	X(PAPER_RESULT_LEAD, "paper.result_lead", NULL) \
	X(PAPER_NOTICE, "paper.notice", NULL) \
	X(PAPER_NOTICE_LEAD, "paper.notice_lead", NULL) \
	X(PAPER_NOTICE_DECIDED, "paper.notice_decided", NULL) \
	X(PAPER_NOTICE_TIME, "paper.notice_time", NULL) \
	X(PAPER_NOTICE_SECRET, "paper.notice_secret", NULL) \
	X(PAPER_SUPPLEMENT_CLOCK, "paper.supplement_clock", NULL) \
	X(PAPER_REFUSAL_RIGHTS, "paper.refusal_rights", NULL) \
	X(PAPER_OLD_DATE, "paper.old_date", NULL) \
	X(PAPER_NEW_DATE, "paper.new_date", NULL) \
	X(PAPER_COMMITTEE, "paper.committee", NULL) \
	X(PAPER_OFFICE, "paper.office", NULL) \
	X(PAPER_NUMBER, "paper.number", NULL) \
	X(PAPER_NATION, "paper.nation", NULL) \
	X(PAPER_MOTTO, "paper.motto", NULL) \
	X(PAPER_DAY, "paper.day", NULL) \
	X(PAPER_MONTH, "paper.month", NULL) \
	X(PAPER_YEAR, "paper.year", NULL) \
	X(PAPER_TO, "paper.to", NULL) \
	X(PAPER_ADDRESS, "paper.address", NULL) \
	X(PAPER_ABOUT, "paper.about", NULL) \
	X(PAPER_FILER, "paper.filer", NULL) \
	X(PAPER_OFFICIAL, "paper.official", NULL) \
	X(PAPER_SIGN, "paper.sign", NULL) \
	X(YES, "console.yes", NULL) \
	X(CLOSED, "console.closed", NULL) \
	X(EXPORT, "console.export", NULL) \
	X(EXPORT_IDENTITY, "console.export_identity", NULL) \
	X(EXPORT_IDENTITY_NOTE, "console.export_identity_note", NULL) \
	X(EXPORT_IDENTITY_CSV, "console.export_identity_csv", NULL) \
	X(EXPORT_REASON, "console.export_reason", NULL) \
	X(REPLY_TITLE, "console.reply_title", NULL) \
	X(REMOVE, "console.remove", NULL) \
	X(DOSSIER, "console.dossier", NULL) \
	X(NOT_NOW, "console.not_now", NULL) \
	X(VIEW_MINE, "console.view_mine", NULL) \
	X(VIEW_UNASSIGNED, "console.view_unassigned", NULL) \
	X(VIEW_ALL, "console.view_all", NULL) \
	X(SEARCH, "console.search", NULL) \
	X(SEARCH_HINT, "console.search_hint", NULL) \
	X(SEARCH_NONE, "console.search_none", NULL) \
	X(DUE_WITHIN, "console.due_within", NULL) \
	X(SORT, "console.sort", NULL) \
	X(SORT_DEADLINE, "console.sort_deadline", NULL) \
	X(SORT_RECEIVED, "console.sort_received", NULL) \
	X(SORT_STATUS, "console.sort_status", NULL)

typedef enum {
#define WORDS_ENUM(id, key, format) W_##id,
	WORDS(WORDS_ENUM)
#undef WORDS_ENUM
	W_COUNT
} word;

/* Reads assets_dir/lang/ and resolves every id; 0, or -1 with err. A
 * second call replaces the texts. */
int words_load(const char *assets_dir, char *err, size_t errlen);

/* The text of w in language l (LANG_VI for anything but LANG_EN); before
 * a load, the key itself. */
const char *words_text(lang l, word w);

/* A status's name for citizens (with %s for the office), a hint of what to
 * do next (NULL when there is none) and its name for officials; NULL for
 * a name that is not a status. */
const char *words_status(lang l, const char *status);
const char *words_status_hint(lang l, const char *status);
const char *words_status_staff(lang l, const char *status);

/* The ids' keys and conversions, W_COUNT of them (for the tests). */
const tr_key *words_keys(void);

#endif
