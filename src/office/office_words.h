/* office_words: the words of the office service's pages (the counter
 * page, its sign-in, the hall display), by id, each with its key in the
 * translation files (assets/lang/vi.po and en.po, docs/translation.md) and the printf
 * conversions the page fills in (NULL: written as it is). Loaded once at
 * start-up, before any thread; a missing key stops the service naming the
 * file, line and key. The texts hold no < > & or ", so a page writes them
 * as they are. */
#ifndef MOTCUA_OFFICE_WORDS_H
#define MOTCUA_OFFICE_WORDS_H

#include <stddef.h>
#include "catalog.h"
#include "tr.h"

#define OFFICE_WORDS(X) \
	X(SITE, "office.site", NULL) \
	X(SIGN_IN, "office.sign_in", NULL) \
	X(SIGN_IN_COUNTER, "office.sign_in.counter", NULL) \
	X(SIGN_IN_PIN, "office.sign_in.pin", NULL) \
	X(SIGN_IN_WRONG, "office.sign_in.wrong", NULL) \
	X(SIGN_IN_LOCKED, "office.sign_in.locked", "%lld") \
	X(SIGN_IN_NO_PIN, "office.sign_in.no_pin", NULL) \
	X(SIGN_OUT, "office.sign_out", NULL) \
	X(COUNTER, "office.counter", "%d") \
	X(COUNTER_FIELDS, "office.counter.fields", NULL) \
	X(COUNTER_NONE, "office.counter.none", NULL) \
	X(COUNTER_NOW, "office.counter.now", NULL) \
	X(COUNTER_IDLE, "office.counter.idle", NULL) \
	X(COUNTER_CALLED_AT, "office.counter.called_at", "%s%d") \
	X(COUNTER_PRIORITY, "office.counter.priority", NULL) \
	X(CALL_NEXT, "office.call_next", NULL) \
	X(RECALL, "office.recall", NULL) \
	X(SKIP, "office.skip", NULL) \
	X(TRANSFER, "office.transfer", NULL) \
	X(CLOSE, "office.close", NULL) \
	X(NOBODY, "office.nobody", NULL) \
	X(WAITING, "office.waiting", NULL) \
	X(FIELD, "office.field", NULL) \
	X(TODAY, "office.today", NULL) \
	X(COL_SERVED, "office.col.served", NULL) \
	X(COL_SKIPPED, "office.col.skipped", NULL) \
	X(COL_WAIT, "office.col.wait", NULL) \
	X(COL_WAIT_MAX, "office.col.wait_max", NULL) \
	X(COL_SERVICE, "office.col.service", NULL) \
	X(MINUTES, "office.minutes", "%lld") \
	X(STORE_ERROR, "office.store_error", NULL) \
	X(DISPLAY_TITLE, "office.display.title", NULL) \
	X(DISPLAY_NUMBER, "office.display.number", NULL) \
	X(DISPLAY_TO, "office.display.to", NULL) \
	X(DISPLAY_STALE, "office.display.stale", NULL) \
	X(DISPLAY_SOUND, "office.display.sound", NULL) \
	X(DISPLAY_WAITING, "office.display.waiting", NULL) \
	X(VOICE_CALL, "office.voice.call", "%s%s%d") \
	X(OTHER_LANG, "office.other_lang", NULL) \
	X(ACCEPT_TITLE, "office.accept.title", NULL) \
	X(ACCEPT_OPEN, "office.accept.open", NULL) \
	X(HELP_TITLE, "office.help.title", NULL) \
	X(HELP_CALL, "office.help.call", "%s") \
	X(HELP_NONE, "office.help.none", NULL) \
	X(HELP_ANSWER, "office.help.answer", NULL) \
	X(ACCEPT_BACK, "office.accept.back", NULL) \
	X(ACCEPT_SCAN, "office.accept.scan", NULL) \
	X(ACCEPT_FIND, "office.accept.find", NULL) \
	X(ACCEPT_CODE, "office.accept.code", NULL) \
	X(ACCEPT_NOT_CODE, "office.accept.not_code", NULL) \
	X(ACCEPT_UNKNOWN, "office.accept.unknown", NULL) \
	X(ACCEPT_DONE_ALREADY, "office.accept.done_already", NULL) \
	X(ACCEPT_NONE_NEEDED, "office.accept.none_needed", NULL) \
	X(ACCEPT_LETTER_ALREADY, "office.accept.letter_already", NULL) \
	X(ACCEPT_LETTER_HINT, "office.accept.letter_hint", NULL) \
	X(ACCEPT_LETTER, "office.accept.letter", NULL) \
	X(ACCEPT_PAPERS, "office.accept.papers", NULL) \
	X(ACCEPT_PAPERS_FIRST, "office.accept.papers_first", NULL) \
	X(ACCEPT_DOSSIER, "office.accept.dossier", NULL) \
	X(ACCEPT_VERIFY, "office.accept.verify", NULL) \
	X(ACCEPT_CCCD, "office.accept.cccd", NULL) \
	X(ACCEPT_CCCD_BAD, "office.accept.cccd_bad", NULL) \
	X(ACCEPT_DO, "office.accept.do", NULL) \
	X(ACCEPT_MISSING, "office.accept.missing", NULL) \
	X(ACCEPT_CHECKLIST, "office.accept.checklist", NULL) \
	X(ACCEPT_SUPPLEMENT, "office.accept.supplement", NULL) \
	X(ACCEPT_DONE, "office.accept.done", NULL) \
	X(ACCEPT_SUPPLEMENT_DONE, "office.accept.supplement_done", NULL) \
	X(ACCEPT_LETTER_DONE, "office.accept.letter_done", NULL) \
	X(PAPER_RECEIPT, "office.paper.receipt", NULL) \
	X(PAPER_SUPPLEMENT, "office.paper.supplement", NULL) \
	X(PAPER_LETTER, "office.paper.letter", NULL) \
	X(PAPER_NAME, "office.paper.name", NULL) \
	X(PAPER_AT, "office.paper.at", NULL) \
	X(PAPER_DUE, "office.paper.due", NULL) \
	X(PAPER_LAPSE, "office.paper.lapse", NULL) \
	X(PAPER_ACCEPT_BY, "office.paper.accept_by", NULL) \
	X(PAPER_SECRET, "office.paper.secret", NULL) \
	X(PAPER_CHECK, "office.paper.check", NULL) \
	X(PAPER_OFFICE, "kiosk.paper.office", NULL) \
	X(PAPER_PRINTED, "office.paper.printed", NULL) \
	X(PAPER_NOT_PRINTED, "office.paper.not_printed", "%s") \
	X(PAPER_SECRET_SHARED, "office.paper.secret_shared", NULL) \
	X(REFUSED_CLOSED, "office.refused.closed", NULL) \
	X(REFUSED_ACCEPTED, "office.refused.accepted", "%s%s") \
	X(REFUSED_LETTER_TWICE, "office.refused.letter_twice", "%s") \
	X(REFUSED_SUPPLEMENT_TWICE, "office.refused.supplement_twice", "%s") \
	X(REFUSED_DOSSIER_MISSING, "office.refused.dossier_missing", NULL) \
	X(REFUSED_DOSSIER_FORM, "office.refused.dossier_form", "%s") \
	X(REFUSED_DOSSIER_TAKEN, "office.refused.dossier_taken", "%s") \
	X(REFUSED_LIST_MISSING, "office.refused.list_missing", NULL) \
	X(REFUSED_AT_ONCE, "office.refused.at_once", NULL)

typedef enum {
#define OFFICE_WORDS_ID(id, key, format) OW_##id,
	OFFICE_WORDS(OFFICE_WORDS_ID)
#undef OFFICE_WORDS_ID
	OW_COUNT
} office_word;

/* Reads assets_dir/lang once. 0, or -1 with err naming the file and key. */
int office_words_load(const char *assets_dir, char *err, size_t errlen);
const char *office_words_text(lang l, office_word w);
/* A text with conversions filled (office_words_load checked that the
 * files' conversions are the ones in the table), into out. */
void office_words_format(char *out, size_t outlen, lang l, office_word w, ...);
/* The keys, for the translation tests. */
const tr_key *office_words_keys(void);

#endif
