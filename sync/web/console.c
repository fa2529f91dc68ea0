/* console: the officials' pages under /staff (see console.h).
 *
 * Each page is written straight into the caller's buffer from fixed text and
 * escaped data, as the phone page is; every text that comes from data or
 * from a form goes through esc(). Words are in one table, Vietnamese and
 * English side by side, so a page never mixes the two. Routes are a table
 * too: the method, the path (exact or a prefix), what the page needs (no
 * session, a session, a supervisor) and its function.
 *
 * Refusals keep what the official typed: a refused action re-renders the
 * request with the same form open, the words srv_work gave and the text
 * still in its fields. Successful POSTs answer 303 to a GET page, so a
 * reload never sends a form twice. */
#include "status.h"
#include "console.h"
#include "html.h"
#include "log.h"
#include "proto.h"
#include "seal.h"
#include "srv_work.h"
#include "token.h"
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define VN_OFFSET (7 * 3600)          /* Vietnam time, UTC+7, no daylight saving */
#define INBOX_PAGE 50
#define MAX_COMMUNES 256
#define AUDIT_ROWS 300
#define LOGIN_COST 1
#define TEXT_HTML "text/html; charset=utf-8"
#define TEXT_CSS "text/css; charset=utf-8"

/* ---- words ---- */

typedef enum {
	W_TITLE, W_INBOX, W_CONFERENCES, W_AUDIT, W_LOGOUT, W_OTHER_LANG, W_SIGNED_IN,
	W_LOGIN, W_NAME, W_PASSWORD, W_EXPIRED, W_LOGGED_OUT, W_TOO_MANY,
	W_COMMUNE, W_CATEGORY, W_STATUS, W_ANY, W_OPEN, W_OVERDUE_ONLY, W_FILTER,
	W_TOTAL, W_OPEN_COUNT, W_OVERDUE, W_DEADLINE, W_RECEIPT, W_PROCEDURE, W_RECEIVED,
	W_NONE, W_PREV, W_NEXT, W_PAGE,
	W_REQUEST, W_REQUEST_ID, W_ACCEPTED, W_DEADLINE_NOW, W_EXTENSIONS, W_APOLOGIES, W_FORWARDED,
	W_CONFERENCE, W_TIMELINE, W_IDENTITY, W_SHOW_IDENTITY, W_REASON, W_DENOUNCER_SECRET,
	W_DENOUNCER_SUPERVISOR, W_IDENTITY_NOTE, W_CONTENT, W_CONTENT_UNREADABLE, W_ACTIONS, W_NOTE, W_COMPLEXITY, W_NORMAL, W_COMPLEX,
	W_VERY_COMPLEX, W_OFFICE, W_NEW_DATE, W_SAVE, W_SAVED, W_FINAL, W_REQUEST_AUDIT,
	W_ANNOUNCE, W_WHEN, W_PLACE, W_LEADERS, W_TOPIC, W_QUESTIONS, W_EDIT, W_DATE, W_TIME,
	W_NO_CONFERENCES, W_CONFERENCE_SAVED, W_WHO, W_WHAT, W_DETAIL, W_BACK_INBOX,
	W_FORBIDDEN, W_STALE_FORM, W_NOT_FOUND, W_UNAVAILABLE, W_BAD_CONFERENCE, W_UPCOMING_ONLY,
	W_ALL_COMMUNES, W_PAST_TOO, W_WRONG_LOGIN, W_WAIT, W_OFFICER, W_SUPERVISOR, NWORDS
} word;

static const char *const words[NWORDS][2] = {
	[W_TITLE] = { "Một cửa · Cán bộ xử lý", "One-stop shop · Officials" },
	[W_INBOX] = { "Hồ sơ", "Inbox" },
	[W_CONFERENCES] = { "Hội nghị đối thoại", "Dialogue conferences" },
	[W_AUDIT] = { "Nhật ký", "Audit log" },
	[W_LOGOUT] = { "Đăng xuất", "Log out" },
	[W_OTHER_LANG] = { "English", "Tiếng Việt" },
	[W_SIGNED_IN] = { "Đang làm việc:", "Signed in:" },
	[W_LOGIN] = { "Đăng nhập", "Log in" },
	[W_NAME] = { "Tên đăng nhập", "Account name" },
	[W_PASSWORD] = { "Mật khẩu", "Password" },
	[W_EXPIRED] = { "Phiên làm việc đã hết hạn. Xin đăng nhập lại.", "Your session has expired. Please log in again." },
	[W_LOGGED_OUT] = { "Đã đăng xuất.", "You have logged out." },
	[W_TOO_MANY] = { "Quá nhiều lần thử đăng nhập từ máy này. Xin chờ rồi thử lại.",
		"Too many login attempts from this address. Please wait and try again." },
	[W_COMMUNE] = { "Xã", "Commune" },
	[W_CATEGORY] = { "Lĩnh vực", "Category" },
	[W_STATUS] = { "Trạng thái", "Status" },
	[W_ANY] = { "Tất cả", "Any" },
	[W_OPEN] = { "Chưa xong", "Open" },
	[W_OVERDUE_ONLY] = { "Chỉ hồ sơ quá hạn", "Overdue only" },
	[W_FILTER] = { "Lọc", "Filter" },
	[W_TOTAL] = { "Tổng số", "Total" },
	[W_OPEN_COUNT] = { "Chưa xong", "Open" },
	[W_OVERDUE] = { "Quá hạn", "Overdue" },
	[W_DEADLINE] = { "Hạn", "Deadline" },
	[W_RECEIPT] = { "Mã biên nhận", "Receipt code" },
	[W_PROCEDURE] = { "Thủ tục", "Procedure" },
	[W_RECEIVED] = { "Tiếp nhận", "Received" },
	[W_NONE] = { "Không có hồ sơ nào khớp bộ lọc.", "No request matches the filter." },
	[W_PREV] = { "← Trang trước", "← Previous" },
	[W_NEXT] = { "Trang sau →", "Next →" },
	[W_PAGE] = { "Trang", "Page" },
	[W_REQUEST] = { "Hồ sơ", "Request" },
	[W_REQUEST_ID] = { "Số hồ sơ", "Request id" },
	[W_ACCEPTED] = { "Thụ lý", "Accepted" },
	[W_DEADLINE_NOW] = { "Hạn đang áp dụng", "Deadline in force" },
	[W_EXTENSIONS] = { "Số lần gia hạn", "Extensions" },
	[W_APOLOGIES] = { "Số lần hẹn lại", "New dates given" },
	[W_FORWARDED] = { "Đã chuyển đến", "Forwarded to" },
	[W_CONFERENCE] = { "Hội nghị", "Conference" },
	[W_TIMELINE] = { "Diễn biến", "Timeline" },
	[W_IDENTITY] = { "Danh tính người gửi", "Who filed it" },
	[W_SHOW_IDENTITY] = { "Xem danh tính", "Show identity" },
	[W_CONTENT] = { "Nội dung", "Content" },
	[W_CONTENT_UNREADABLE] = { "Không mở được nội dung bằng khóa của máy chủ này.",
		"The content cannot be opened with this server's key." },
	[W_REASON] = { "Lý do xem (được ghi vào nhật ký)", "Reason for viewing (written to the audit log)" },
	[W_DENOUNCER_SECRET] = { "Danh tính người tố cáo được giữ bí mật: chỉ lãnh đạo được xem, phải ghi lý do.",
		"A denouncer's identity is secret: only a supervisor may open it, giving a reason." },
	[W_DENOUNCER_SUPERVISOR] = { "Người tố cáo được pháp luật bảo vệ bí mật. Lý do của bạn được ghi vào nhật ký.",
		"The law keeps a denouncer's identity secret. Your reason is written to the audit log." },
	[W_IDENTITY_NOTE] = { "Dữ liệu cá nhân: chỉ dùng để xử lý hồ sơ này, không sao chép.",
		"Personal data: for handling this request only; do not copy." },
	[W_ACTIONS] = { "Xử lý", "Actions" },
	[W_NOTE] = { "Nội dung gửi người dân", "Note for the citizen" },
	[W_COMPLEXITY] = { "Mức độ", "Complexity" },
	[W_NORMAL] = { "Bình thường", "Normal" },
	[W_COMPLEX] = { "Phức tạp", "Complex" },
	[W_VERY_COMPLEX] = { "Đặc biệt phức tạp", "Especially complex" },
	[W_OFFICE] = { "Cơ quan nhận", "Office" },
	[W_NEW_DATE] = { "Ngày hẹn mới", "New date" },
	[W_SAVE] = { "Ghi", "Save" },
	[W_SAVED] = { "Đã ghi. Người dân thấy ngay trên trang tra cứu; máy ở xã nhận khi đồng bộ.",
		"Saved. The citizen sees it on the status page now; the kiosk at its next sync." },
	[W_FINAL] = { "Hồ sơ đã kết thúc: không còn thao tác nào.", "This request is closed: no more actions." },
	[W_REQUEST_AUDIT] = { "Nhật ký của hồ sơ", "This request's audit log" },
	[W_ANNOUNCE] = { "Thông báo hội nghị mới", "Announce a conference" },
	[W_WHEN] = { "Thời gian", "When" },
	[W_PLACE] = { "Địa điểm", "Place" },
	[W_LEADERS] = { "Lãnh đạo dự", "Leaders attending" },
	[W_TOPIC] = { "Chủ đề", "Topic" },
	[W_QUESTIONS] = { "Câu hỏi", "Questions" },
	[W_EDIT] = { "Sửa", "Edit" },
	[W_DATE] = { "Ngày", "Date" },
	[W_TIME] = { "Giờ", "Time" },
	[W_NO_CONFERENCES] = { "Chưa có hội nghị nào.", "No conferences yet." },
	[W_CONFERENCE_SAVED] = { "Đã ghi. Máy ở xã nhận thông báo khi đồng bộ.", "Saved. Kiosks receive it at their next sync." },
	[W_WHO] = { "Người", "Who" },
	[W_WHAT] = { "Việc", "What" },
	[W_DETAIL] = { "Chi tiết", "Detail" },
	[W_BACK_INBOX] = { "← Về danh sách hồ sơ", "← Back to the inbox" },
	[W_FORBIDDEN] = { "Bạn không có quyền làm việc này.", "You are not allowed to do this." },
	[W_STALE_FORM] = { "Biểu mẫu không hợp lệ hoặc đã cũ. Xin tải lại trang rồi thử lại.",
		"The form was stale or did not come from this site. Reload the page and try again." },
	[W_NOT_FOUND] = { "Không tìm thấy trang hoặc hồ sơ này.", "No such page or request." },
	[W_UNAVAILABLE] = { "Cơ sở dữ liệu tạm thời không trả lời. Xin thử lại sau.",
		"The database does not answer right now. Please try again later." },
	[W_BAD_CONFERENCE] = { "Cần chọn xã, ngày giờ hợp lệ, địa điểm và chủ đề.",
		"Choose a commune, a valid date and time, a place and a topic." },
	[W_UPCOMING_ONLY] = { "Sắp tới", "Upcoming" },
	[W_ALL_COMMUNES] = { "Mọi xã", "All communes" },
	[W_PAST_TOO] = { "Cả hội nghị đã qua", "Past ones too" },
	[W_WRONG_LOGIN] = { "Tên đăng nhập hoặc mật khẩu không đúng.", "Wrong account name or password." },
	[W_WAIT] = { "Tài khoản này đã đăng nhập sai nhiều lần: xin chờ rồi thử lại (giây):",
		"Too many failed logins for this account: wait and try again (seconds):" },
	[W_OFFICER] = { "cán bộ", "officer" },
	[W_SUPERVISOR] = { "lãnh đạo", "supervisor" },
};

static const char *const status_words[][3] = {
	{ "received", "Đã tiếp nhận tại xã", "Received at the kiosk" },
	{ "synced", "Đã chuyển lên", "Sent upstream" },
	{ "accepted", "Đã thụ lý", "Accepted" },
	{ "in_progress", "Đang xử lý", "In progress" },
	{ "supplement", "Cần bổ sung", "Needs a supplement" },
	{ "resolved", "Đã giải quyết", "Resolved" },
	{ "rejected", "Từ chối", "Rejected" },
	{ "withdrawn", "Đã rút", "Withdrawn" },
};

/* The actions' labels and which fields their forms add to the note. */
enum { F_COMPLEXITY = 1, F_OFFICE = 2, F_DATE = 4, F_OVERDUE_ONLY = 8 };
static const struct { const char *label[2]; unsigned fields; } action_forms[WORK_NACTIONS] = {
	[WORK_ACCEPT] = { { "Thụ lý", "Accept" }, F_COMPLEXITY },
	[WORK_PROGRESS] = { { "Cập nhật tiến độ", "Progress note" }, 0 },
	[WORK_SUPPLEMENT] = { { "Yêu cầu bổ sung (nói rõ còn thiếu gì)", "Ask for a supplement (say exactly what is missing)" }, 0 },
	[WORK_FORWARD] = { { "Chuyển cơ quan khác", "Forward to another office" }, F_OFFICE },
	[WORK_RESOLVE] = { { "Trả lời, giải quyết xong", "Resolve with the answer" }, 0 },
	[WORK_REJECT] = { { "Từ chối (nêu lý do)", "Reject (with the reason)" }, 0 },
	[WORK_EXTEND] = { { "Gia hạn (nêu lý do)", "Extend the deadline (with the reason)" }, F_COMPLEXITY },
	[WORK_RESCHEDULE] = { { "Xin lỗi và hẹn ngày mới", "Apologise with a new date" }, F_DATE | F_OVERDUE_ONLY },
};

/* ---- one exchange ---- */

typedef struct {
	const console_ctx *c;
	srv_db *db;
	const console_request *rq;
	console_response *out;
	html_writer html;            /* the page; failed: out of memory while writing */
	long long now;
	int lang;                    /* LANG_VI or LANG_EN */
	int has_session;
	srv_auth_session session;
	const char *rest;            /* the path after a prefix route */
} exchange;

#define W(x, w) (words[w][(x)->lang])

/* Short names: a page is hundreds of these calls. */
static void put_n(exchange *x, const char *s, size_t n)
{
	html_put_n(&x->html, s, n);
}

static void put(exchange *x, const char *s)
{
	html_put(&x->html, s);
}

/* Text from data or a form. */
static void esc(exchange *x, const char *s)
{
	html_escape(&x->html, s);
}

/* A value inside a URL's query, percent-encoded, then HTML-escaped by
 * construction (nothing but unreserved characters and %XX is left). */
static void put_url(exchange *x, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char enc[4];
	for (; s && *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '_' || ch == '.' || ch == '~' || ch == '/') {
			put_n(x, s, 1);
		} else {
			enc[0] = '%';
			enc[1] = hex[ch >> 4];
			enc[2] = hex[ch & 15];
			put_n(x, enc, 3);
		}
	}
}

static const char *arg(exchange *x, const char *name)
{
	const char *v = x->rq->query ? x->rq->query(x->rq->query_cls, name) : NULL;
	return v ? v : "";
}

static const char *field(exchange *x, const char *name)
{
	const char *v = x->rq->form ? console_form_get(x->rq->form, name) : NULL;
	return v ? v : "";
}

static int is_supervisor(const exchange *x)
{
	return x->has_session && strcmp(x->session.role, "supervisor") == 0;
}

/* ---- dates and names ---- */

static void format_local(long long t, char out[20])
{
	time_t v = (time_t)(t + VN_OFFSET);
	struct tm tm;
	if (t <= 0 || !gmtime_r(&v, &tm) || strftime(out, 20, "%d/%m/%Y %H:%M", &tm) == 0) snprintf(out, 20, "–");
}

/* "YYYY-MM-DD" as "dd/mm/yyyy"; a dash for anything else. */
static void format_day(const char *iso, char out[11])
{
	cal_date d;
	if (!iso || cal_date_parse(iso, &d) != 0) {
		snprintf(out, 11, "–");
		return;
	}
	snprintf(out, 11, "%02u/%02u/%04u", (unsigned)d.day % 100u, (unsigned)d.month % 100u, (unsigned)d.year % 10000u);
}

/* Days from 1970-01-01 to a civil date (H. Hinnant's days_from_civil). */
static long long days_from_civil(int y, int m, int d)
{
	long long era, yoe, doy, doe;
	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DD" and "HH:MM" in Vietnam time to Unix seconds; -1 if malformed. */
static long long parse_local(const char *date, const char *hm)
{
	cal_date d;
	int h, m;
	char tail;
	if (cal_date_parse(date, &d) != 0) return -1;
	if (sscanf(hm, "%2d:%2d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59) return -1;
	return days_from_civil(d.year, d.month, d.day) * 86400 + h * 3600 + m * 60 - VN_OFFSET;
}

static const char *status_label(const exchange *x, const char *status)
{
	size_t i;
	for (i = 0; i < sizeof status_words / sizeof status_words[0]; i++)
		if (strcmp(status, status_words[i][0]) == 0) return status_words[i][1 + x->lang];
	return status;
}

static const char *category_name(const exchange *x, const char *id)
{
	const catalog_category *cat = x->c->cat ? catalog_category_by_id(x->c->cat, id) : NULL;
	return cat ? cat->name[x->lang] : id;
}

static const char *procedure_name(const exchange *x, const char *id)
{
	const catalog_procedure *p = x->c->cat && id[0] ? catalog_procedure_by_id(x->c->cat, id) : NULL;
	return p ? p->name[x->lang] : id;
}

/* ---- responses ---- */

static void set_cookie(exchange *x, const char *name, const char *value, const char *extra)
{
	int i;
	for (i = 0; i < CONSOLE_COOKIES && x->out->cookies[i][0]; i++) {}
	if (i == CONSOLE_COOKIES) return;
	snprintf(x->out->cookies[i], sizeof x->out->cookies[i], "%s=%s; Path=/staff; HttpOnly; SameSite=Strict%s%s",
		name, value, extra, x->c->secure_cookies ? "; Secure" : "");
}

static void redirect(exchange *x, const char *location)
{
	x->out->status = 303;
	snprintf(x->out->location, sizeof x->out->location, "%s", location);
	x->html.buf->len = 0;
	put(x, "<!doctype html><title>303</title><a href=\"");
	esc(x, location);
	put(x, "\">→</a>\n");
}

/* A path the login may return to: our own pages only, nothing that could
 * leave the site or split a header. */
static int safe_next(const char *next)
{
	size_t i;
	if (strncmp(next, "/staff", 6) != 0 || strncmp(next, "/staff/login", 12) == 0 ||
	    strncmp(next, "/staff/logout", 13) == 0 || strlen(next) > 900)
		return 0;
	for (i = 0; next[i]; i++)
		if ((unsigned char)next[i] <= 0x20 || next[i] == 0x7f || next[i] == '\\' ||
		    (next[i] == '/' && next[i + 1] == '/'))
			return 0;
	return 1;
}

/* ---- the frame of every page ---- */

static void head(exchange *x, const char *title)
{
	put(x, "<!doctype html>\n<html lang=\"");
	put(x, x->lang ? "en" : "vi");
	put(x, "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
		"<title>");
	esc(x, title);
	put(x, " · ");
	put(x, W(x, W_TITLE));
	put(x, "</title><link rel=\"stylesheet\" href=\"/staff/style.css\"></head>\n<body>\n<header class=\"top\"><a class=\"brand\" href=\"/staff/inbox\">");
	put(x, W(x, W_TITLE));
	put(x, "</a>");
	if (x->has_session) {
		put(x, "<nav><a href=\"/staff/inbox\">");
		put(x, W(x, W_INBOX));
		put(x, "</a><a href=\"/staff/conferences\">");
		put(x, W(x, W_CONFERENCES));
		put(x, "</a>");
		if (is_supervisor(x)) {
			put(x, "<a href=\"/staff/audit\">");
			put(x, W(x, W_AUDIT));
			put(x, "</a>");
		}
		put(x, "</nav>");
	}
	put(x, "<div class=\"who\"><a class=\"lang\" href=\"/staff/lang?to=");
	put(x, x->lang ? "vi" : "en");
	put(x, "&amp;next=");
	put_url(x, x->rq->path);
	put(x, "\">");
	put(x, W(x, W_OTHER_LANG));
	put(x, "</a>");
	if (x->has_session) {
		put(x, "<span>");
		put(x, W(x, W_SIGNED_IN));
		put(x, " <b>");
		esc(x, x->session.name);
		put(x, "</b> (");
		put(x, W(x, is_supervisor(x) ? W_SUPERVISOR : W_OFFICER));
		put(x, ")</span><form method=\"post\" action=\"/staff/logout\"><input type=\"hidden\" name=\"csrf\" value=\"");
		esc(x, x->session.csrf);
		put(x, "\"><button class=\"link\">");
		put(x, W(x, W_LOGOUT));
		put(x, "</button></form>");
	}
	put(x, "</div></header>\n<main>\n");
}

static void foot(exchange *x)
{
	put(x, "</main>\n</body></html>\n");
}

static void csrf_field(exchange *x)
{
	put(x, "<input type=\"hidden\" name=\"csrf\" value=\"");
	esc(x, x->session.csrf);
	put(x, "\">");
}

static void message_page(exchange *x, int status, word w)
{
	x->html.buf->len = 0;
	x->out->status = status;
	head(x, W(x, w));
	put(x, "<p class=\"error\" role=\"alert\">");
	put(x, W(x, w));
	put(x, "</p><p><a href=\"/staff/inbox\">");
	put(x, W(x, W_BACK_INBOX));
	put(x, "</a></p>\n");
	foot(x);
}

/* ---- the style sheet ---- */

static const char style_css[] =
	":root{--ink:#1b2430;--muted:#5b6675;--line:#d5dbe3;--bg:#f4f6f9;--brand:#0b4f8a;--red:#b42318;"
	"--redbg:#fdecea;--green:#146c2e;--amber:#8a5a00}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font:16px/1.45 system-ui,'Noto Sans','DejaVu Sans',sans-serif;color:var(--ink);background:var(--bg)}\n"
	"a{color:var(--brand)}\n"
	".top{display:flex;align-items:center;gap:24px;padding:10px 24px;background:var(--brand);color:#fff;flex-wrap:wrap}\n"
	".top a{color:#fff;text-decoration:none}\n"
	".brand{font-weight:700;font-size:18px}\n"
	".top nav{display:flex;gap:6px}\n"
	".top nav a{padding:8px 14px;border-radius:6px}\n"
	".top nav a:hover{background:rgba(255,255,255,.15)}\n"
	".who{margin-left:auto;display:flex;gap:16px;align-items:center}\n"
	".who form{margin:0}\n"
	"button.link{background:none;border:1px solid rgba(255,255,255,.6);color:#fff;padding:6px 12px;border-radius:6px;"
	"font:inherit;cursor:pointer;min-height:36px}\n"
	"main{max-width:1500px;margin:0 auto;padding:20px 24px 48px}\n"
	"h1{font-size:24px;margin:4px 0 16px}\nh2{font-size:19px;margin:0 0 12px}\n"
	".panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 20px;margin-bottom:18px}\n"
	".filters{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-end}\n"
	".filters label{display:flex;flex-direction:column;font-size:14px;color:var(--muted);gap:4px}\n"
	".filters label.check{flex-direction:row;align-items:center;gap:8px;color:var(--ink);font-size:16px;min-height:42px}\n"
	"select,input[type=text],input[type=password],input[type=date],input[type=time],textarea{font:inherit;padding:8px 10px;"
	"border:1px solid #aab4c0;border-radius:6px;background:#fff;min-height:42px}\n"
	"input[type=checkbox]{width:22px;height:22px}\n"
	"textarea{width:100%;min-height:90px;resize:vertical}\n"
	"button,.button{font:inherit;font-weight:600;background:var(--brand);color:#fff;border:0;border-radius:6px;"
	"padding:10px 20px;min-height:44px;cursor:pointer;text-decoration:none;display:inline-block}\n"
	".counts{display:flex;flex-wrap:wrap;gap:10px;margin:0 0 16px;padding:0;list-style:none}\n"
	".counts li{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 14px;min-width:110px}\n"
	".counts b{display:block;font-size:22px}\n"
	".counts .over{border-color:var(--red);color:var(--red)}\n"
	"table{width:100%;border-collapse:collapse;background:#fff}\n"
	"th,td{text-align:left;padding:9px 10px;border-bottom:1px solid var(--line);vertical-align:top}\n"
	"th{font-size:14px;color:var(--muted);font-weight:600;background:#eef1f5}\n"
	"tr.overdue td{background:var(--redbg)}\n"
	"tr.overdue td:first-child{box-shadow:inset 4px 0 var(--red)}\n"
	".badge{display:inline-block;font-size:13px;font-weight:700;padding:1px 8px;border-radius:10px;background:var(--red);"
	"color:#fff;margin-left:6px}\n"
	".code{font-family:'DejaVu Sans Mono',monospace;font-size:15px}\n"
	".pager{display:flex;gap:18px;align-items:center;margin-top:14px}\n"
	".grid{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px}\n"
	"@media (max-width:1100px){.grid{grid-template-columns:1fr}}\n"
	"dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:6px 18px;margin:0}\n"
	"dl.facts dt{color:var(--muted)}\ndl.facts dd{margin:0}\ndl.content dd{white-space:pre-wrap}\n"
	"ol.timeline{list-style:none;margin:0;padding:0}\n"
	"ol.timeline li{border-left:3px solid var(--brand);padding:4px 0 10px 14px;margin-left:4px}\n"
	"ol.timeline time{color:var(--muted);font-size:14px;margin-right:8px}\n"
	"ol.timeline p{margin:4px 0 0;white-space:pre-wrap}\n"
	"details{border:1px solid var(--line);border-radius:6px;margin-bottom:8px;background:#fff}\n"
	"summary{padding:10px 14px;cursor:pointer;font-weight:600;min-height:44px}\n"
	"details form{padding:4px 14px 14px;display:flex;flex-direction:column;gap:10px}\n"
	"details label,form.stack label{display:flex;flex-direction:column;gap:4px;font-size:14px;color:var(--muted)}\n"
	"form.stack{display:flex;flex-direction:column;gap:12px;max-width:560px}\n"
	".error{background:var(--redbg);border:1px solid var(--red);color:var(--red);padding:10px 14px;border-radius:6px}\n"
	".notice{background:#e8f5ec;border:1px solid var(--green);color:var(--green);padding:10px 14px;border-radius:6px}\n"
	".secret{background:#fff8e6;border:1px solid var(--amber);padding:10px 14px;border-radius:6px}\n"
	".identity{border:2px solid var(--amber)}\n"
	".login{max-width:420px;margin:60px auto}\n"
	".muted{color:var(--muted)}\n";

static void page_style(exchange *x)
{
	x->out->type = TEXT_CSS;
	put(x, style_css);
}

/* ---- login, logout, language ---- */

static void login_form(exchange *x, const char *next, word notice, const char *error, int status)
{
	char token[SRV_AUTH_TOKEN_LEN + 1];
	x->html.buf->len = 0;
	x->out->status = status;
	srv_auth_random_token(token);
	set_cookie(x, CONSOLE_COOKIE_LOGIN, token, "");
	head(x, W(x, W_LOGIN));
	put(x, "<section class=\"panel login\"><h1>");
	put(x, W(x, W_LOGIN));
	put(x, "</h1>");
	if (notice != NWORDS) {
		put(x, "<p class=\"notice\" role=\"status\">");
		put(x, W(x, notice));
		put(x, "</p>");
	}
	if (error) {
		put(x, "<p class=\"error\" role=\"alert\">");
		esc(x, error);
		put(x, "</p>");
	}
	put(x, "<form class=\"stack\" method=\"post\" action=\"/staff/login\"><input type=\"hidden\" name=\"csrf\" value=\"");
	put(x, token);
	put(x, "\"><input type=\"hidden\" name=\"next\" value=\"");
	esc(x, safe_next(next) ? next : "/staff/inbox");
	put(x, "\"><label>");
	put(x, W(x, W_NAME));
	put(x, "<input type=\"text\" name=\"name\" id=\"name\" autocomplete=\"username\" autofocus required></label><label>");
	put(x, W(x, W_PASSWORD));
	put(x, "<input type=\"password\" name=\"password\" id=\"password\" autocomplete=\"current-password\" required></label>"
		"<button type=\"submit\" id=\"login\">");
	put(x, W(x, W_LOGIN));
	put(x, "</button></form></section>\n");
	foot(x);
}

static void page_login(exchange *x)
{
	const char *why = arg(x, "why");
	word notice = strcmp(why, "expired") == 0 ? W_EXPIRED : strcmp(why, "out") == 0 ? W_LOGGED_OUT : NWORDS;
	login_form(x, arg(x, "next"), notice, NULL, 200);
}

static void audit(exchange *x, const char *actor, const char *action, const char *request_id, const char *detail)
{
	char err[300];
	if (srv_work_audit_add(x->db, x->now, actor, action, request_id, detail, err, sizeof err) != 0)
		log_error("audit: %s", err);
}

static void do_login(exchange *x)
{
	const char *name = field(x, "name"), *next = field(x, "next");
	char token[SRV_AUTH_TOKEN_LEN + 1], err[300], detail[64];
	long long wait = 0;
	int retry = 0, rc;
	if (x->c->login_limiter && x->rq->client &&
	    !ratelimit_allow(x->c->login_limiter, x->rq->client, LOGIN_COST, x->now * 1000, &retry)) {
		x->out->retry_after = retry;
		login_form(x, next, NWORDS, W(x, W_TOO_MANY), 429);
		return;
	}
	if (!srv_auth_token_equal(x->rq->login_cookie, field(x, "csrf"))) {
		login_form(x, next, NWORDS, W(x, W_STALE_FORM), 403);
		return;
	}
	rc = srv_auth_login(x->db, name, field(x, "password"), x->now, token, &x->session, &wait, err, sizeof err);
	if (rc < 0) {
		log_error("login: %s", err);
		message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	if (rc > 0) {
		/* The typed name goes to the audit log only if it could be an
		 * account's: whatever else was typed there stays out of it. */
		snprintf(detail, sizeof detail, wait > 0 ? "waiting %llds" : "wrong name or password", wait);
		audit(x, strlen(name) < SRV_AUTH_NAME_MAX && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			"0123456789._-") == strlen(name) && name[0] ? name : "?", "login_failed", "", detail);
		if (wait > 0) snprintf(err, sizeof err, "%s %lld", W(x, W_WAIT), wait);
		login_form(x, next, NWORDS, wait > 0 ? err : W(x, W_WRONG_LOGIN), wait > 0 ? 429 : 401);
		return;
	}
	x->has_session = 1;
	audit(x, x->session.name, "login", "", x->session.role);
	set_cookie(x, CONSOLE_COOKIE_SESSION, token, "");
	set_cookie(x, CONSOLE_COOKIE_LOGIN, "", "; Max-Age=0");
	redirect(x, safe_next(next) ? next : "/staff/inbox");
}

static void do_logout(exchange *x)
{
	if (srv_auth_logout(x->db, x->rq->session_cookie) != 0) {
		message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	audit(x, x->session.name, "logout", "", "");
	set_cookie(x, CONSOLE_COOKIE_SESSION, "", "; Max-Age=0");
	redirect(x, "/staff/login?why=out");
}

static void do_lang(exchange *x)
{
	const char *next = arg(x, "next");
	set_cookie(x, CONSOLE_COOKIE_LANG, strcmp(arg(x, "to"), "en") == 0 ? "en" : "vi", "; Max-Age=31536000");
	redirect(x, safe_next(next) ? next : "/staff/inbox");
}

static void go_inbox(exchange *x)
{
	redirect(x, "/staff/inbox");
}

/* ---- communes ---- */

typedef struct {
	work_commune list[MAX_COMMUNES];
	int n;
} communes;

static int add_commune(const work_commune *c, void *arg)
{
	communes *all = arg;
	if (all->n < MAX_COMMUNES) all->list[all->n++] = *c;
	return 0;
}

static int load_communes(exchange *x, communes *all)
{
	char err[300];
	all->n = 0;
	if (srv_work_communes(x->db, add_commune, all, err, sizeof err) == 0) return 0;
	log_error("console: %s", err);
	return -1;
}

static void commune_label(exchange *x, const communes *all, const char *code)
{
	int i;
	esc(x, code);
	for (i = 0; i < all->n; i++) {
		if (strcmp(all->list[i].code, code) == 0 && all->list[i].name[0]) {
			put(x, " · ");
			esc(x, all->list[i].name);
			return;
		}
	}
}

static void commune_select(exchange *x, const communes *all, const char *name, const char *selected, word any)
{
	int i;
	put(x, "<select name=\"");
	put(x, name);
	put(x, "\" id=\"");
	put(x, name);
	put(x, "\">");
	if (any != NWORDS) {
		put(x, "<option value=\"\">");
		put(x, W(x, any));
		put(x, "</option>");
	}
	for (i = 0; i < all->n; i++) {
		put(x, "<option value=\"");
		esc(x, all->list[i].code);
		put(x, strcmp(all->list[i].code, selected) == 0 ? "\" selected>" : "\">");
		commune_label(x, all, all->list[i].code);
		put(x, "</option>");
	}
	put(x, "</select>");
}

/* ---- the inbox ---- */

typedef struct {
	exchange *x;
	const communes *all;
	int rows;
} inbox_rows;

static int inbox_row(const work_item *it, void *arg)
{
	inbox_rows *r = arg;
	exchange *x = r->x;
	char day[11], received[20], grouped[TOKEN_GROUPED_LEN + 1];
	r->rows++;
	format_day(it->due, day);
	format_local(it->received_at, received);
	token_group(it->token, grouped);
	put(x, it->overdue ? "<tr class=\"overdue\"><td>" : "<tr><td>");
	put(x, day);
	if (it->overdue) {
		put(x, "<span class=\"badge\">");
		put(x, W(x, W_OVERDUE));
		put(x, "</span>");
	}
	put(x, "</td><td><a class=\"code\" href=\"/staff/r/");
	put_url(x, it->id);
	put(x, "\">");
	esc(x, grouped);
	put(x, "</a></td><td>");
	esc(x, category_name(x, it->category));
	put(x, "</td><td>");
	esc(x, it->procedure[0] ? procedure_name(x, it->procedure) : "–");
	put(x, "</td><td>");
	commune_label(x, r->all, it->commune);
	put(x, "</td><td>");
	esc(x, status_label(x, it->status));
	put(x, "</td><td>");
	put(x, received);
	put(x, "</td></tr>\n");
	return 0;
}

static void option(exchange *x, const char *value, const char *label, const char *selected)
{
	put(x, "<option value=\"");
	esc(x, value);
	put(x, strcmp(value, selected) == 0 ? "\" selected>" : "\">");
	esc(x, label);
	put(x, "</option>");
}

/* The inbox's link to another page with the same filters. */
static void inbox_link(exchange *x, int page)
{
	static const char *const keys[] = { "commune", "category", "status", "overdue" };
	size_t i;
	put(x, "/staff/inbox?page=");
	html_putf(&x->html, "%d", page);
	for (i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		if (!*arg(x, keys[i])) continue;
		put(x, "&amp;");
		put(x, keys[i]);
		put(x, "=");
		put_url(x, arg(x, keys[i]));
	}
}

static void page_inbox(exchange *x)
{
	communes *cs = malloc(sizeof *cs);   /* too big for a pool thread's stack */
	work_filter f;
	work_counts counts;
	inbox_rows rows;
	char err[300];
	const char *status = arg(x, "status");
	long asked = strtol(arg(x, "page"), NULL, 10);   /* clamped: (page - 1) * INBOX_PAGE must fit */
	int page = asked >= 1 && asked <= 1000000 ? (int)asked : 1, pages, i;
	if (!cs) {
		x->html.failed = 1;
		return;
	}
	if (page < 1) page = 1;
	memset(&f, 0, sizeof f);
	f.commune = arg(x, "commune");
	f.category = arg(x, "category");
	f.status = status;
	f.overdue_only = strcmp(arg(x, "overdue"), "1") == 0;
	f.offset = (page - 1) * INBOX_PAGE;
	f.limit = INBOX_PAGE;
	memset(&counts, 0, sizeof counts);
	if (load_communes(x, cs) != 0) {
		free(cs);
		message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	head(x, W(x, W_INBOX));
	put(x, "<h1>");
	put(x, W(x, W_INBOX));
	put(x, "</h1>\n<form class=\"panel filters\" method=\"get\" action=\"/staff/inbox\"><label>");
	put(x, W(x, W_COMMUNE));
	commune_select(x, cs, "commune", f.commune, W_ANY);
	put(x, "</label><label>");
	put(x, W(x, W_CATEGORY));
	put(x, "<select name=\"category\" id=\"category\">");
	option(x, "", W(x, W_ANY), f.category);
	for (i = 0; x->c->cat && i < x->c->cat->ncategories; i++)
		option(x, x->c->cat->categories[i].id, x->c->cat->categories[i].name[x->lang], f.category);
	put(x, "</select></label><label>");
	put(x, W(x, W_STATUS));
	put(x, "<select name=\"status\" id=\"status\">");
	option(x, "", W(x, W_ANY), status);
	option(x, "open", W(x, W_OPEN), status);
	for (i = 0; i < (int)(sizeof status_words / sizeof status_words[0]); i++)
		option(x, status_words[i][0], status_words[i][1 + x->lang], status);
	put(x, "</select></label><label class=\"check\"><input type=\"checkbox\" name=\"overdue\" id=\"overdue\" value=\"1\"");
	put(x, f.overdue_only ? " checked>" : ">");
	put(x, W(x, W_OVERDUE_ONLY));
	put(x, "</label><button type=\"submit\" id=\"filter\">");
	put(x, W(x, W_FILTER));
	put(x, "</button></form>\n");

	/* The rows are written to a second part of the buffer first, so the
	 * counts the same query gives can come above them. */
	{
		size_t counts_at = x->html.buf->len;
		size_t rows_len;
		char *rows_text;
		rows.x = x;
		rows.all = cs;
		rows.rows = 0;
		put(x, "<table id=\"inbox\"><thead><tr><th>");
		put(x, W(x, W_DEADLINE));
		put(x, "</th><th>");
		put(x, W(x, W_RECEIPT));
		put(x, "</th><th>");
		put(x, W(x, W_CATEGORY));
		put(x, "</th><th>");
		put(x, W(x, W_PROCEDURE));
		put(x, "</th><th>");
		put(x, W(x, W_COMMUNE));
		put(x, "</th><th>");
		put(x, W(x, W_STATUS));
		put(x, "</th><th>");
		put(x, W(x, W_RECEIVED));
		put(x, "</th></tr></thead><tbody>\n");
		if (srv_work_inbox(x->db, &f, x->now, inbox_row, &rows, &counts, err, sizeof err) != 0) {
			log_error("inbox: %s", err);
			free(cs);
			message_page(x, 503, W_UNAVAILABLE);
			return;
		}
		if (rows.rows == 0) {
			put(x, "<tr><td colspan=\"7\" class=\"muted\">");
			put(x, W(x, W_NONE));
			put(x, "</td></tr>");
		}
		put(x, "</tbody></table>\n");
		if (x->html.failed) {
			free(cs);
			return;
		}
		rows_len = x->html.buf->len - counts_at;
		if (!(rows_text = malloc(rows_len + 1))) {
			free(cs);
			x->html.failed = 1;
			return;
		}
		memcpy(rows_text, x->html.buf->data + counts_at, rows_len);
		x->html.buf->len = counts_at;
		put(x, "<ul class=\"counts\" id=\"counts\"><li>");
		put(x, W(x, W_TOTAL));
		html_putf(&x->html, "<b id=\"count-total\">%lld</b></li><li>", counts.total);
		put(x, W(x, W_OPEN_COUNT));
		html_putf(&x->html, "<b id=\"count-open\">%lld</b></li><li class=\"over\">", counts.open);
		put(x, W(x, W_OVERDUE));
		html_putf(&x->html, "<b id=\"count-overdue\">%lld</b></li>", counts.overdue);
		for (i = 0; status_names[i] && i < 16; i++) {
			if (!counts.by_status[i]) continue;
			html_putf(&x->html, "<li>%s<b id=\"count-%s\">%lld</b></li>", status_label(x, status_names[i]), status_names[i],
				counts.by_status[i]);
		}
		put(x, "</ul>\n");
		put_n(x, rows_text, rows_len);
		free(rows_text);
	}
	pages = (int)((counts.total + INBOX_PAGE - 1) / INBOX_PAGE);
	if (pages > 1) {
		put(x, "<nav class=\"pager\">");
		if (page > 1) {
			put(x, "<a href=\"");
			inbox_link(x, page - 1);
			put(x, "\">");
			put(x, W(x, W_PREV));
			put(x, "</a>");
		}
		html_putf(&x->html, "<span>%s %d / %d</span>", W(x, W_PAGE), page, pages);
		if (page < pages) {
			put(x, "<a href=\"");
			inbox_link(x, page + 1);
			put(x, "\" id=\"next\">");
			put(x, W(x, W_NEXT));
			put(x, "</a>");
		}
		put(x, "</nav>\n");
	}
	free(cs);
	foot(x);
}

/* ---- one request ---- */

typedef struct {
	const char *open_action;     /* the action form to show open, or NULL */
	const char *error;           /* why that action or the identity was refused */
	int keep;                    /* fill the open form with what was posted */
	const char *identity_error;
	json_t *identity;            /* the opened identity, or NULL */
	int status;
} request_view;

static int timeline_row(const proto_event *e, void *arg)
{
	exchange *x = arg;
	char at[20], day[11];
	format_local(e->at, at);
	put(x, "<li><time>");
	put(x, at);
	put(x, "</time><b>");
	esc(x, status_label(x, e->status));
	put(x, "</b>");
	if (e->deadline[0]) {
		format_day(e->deadline, day);
		put(x, " · ");
		put(x, W(x, W_DEADLINE));
		put(x, " ");
		put(x, day);
	}
	if (e->note[0]) {
		put(x, "<p>");
		esc(x, e->note);
		put(x, "</p>");
	}
	put(x, "</li>\n");
	return 0;
}

static int audit_row(const work_audit *a, void *arg)
{
	exchange *x = arg;
	char at[20];
	format_local(a->at, at);
	put(x, "<tr><td>");
	put(x, at);
	put(x, "</td><td>");
	esc(x, a->actor);
	put(x, "</td><td>");
	esc(x, a->action);
	put(x, "</td><td>");
	if (a->request_id[0]) {
		put(x, "<a href=\"/staff/r/");
		put_url(x, a->request_id);
		put(x, "\">");
		esc(x, a->request_id);
		put(x, "</a>");
	}
	put(x, "</td><td>");
	esc(x, a->detail);
	put(x, "</td></tr>\n");
	return 0;
}

static void fact(exchange *x, word w, const char *value, const char *id)
{
	put(x, "<dt>");
	put(x, W(x, w));
	put(x, "</dt><dd");
	if (id) {
		put(x, " id=\"");
		put(x, id);
		put(x, "\"");
	}
	put(x, ">");
	esc(x, value);
	put(x, "</dd>");
}

/* The kiosk seals the whole form. Its subject and details say what the
 * request is about: every official working it reads them. The other fields
 * say who filed it: shown only through the identity view, which is checked
 * against the role and audited. */
static json_t *open_identity(exchange *x, const unsigned char *sealed, size_t len);

static int is_content_field(const char *name)
{
	return strcmp(name, "subject") == 0 || strcmp(name, "details") == 0;
}

static void content_block(exchange *x, const work_item *it)
{
	srv_db_request r;
	json_t *o = NULL;
	int i, shown = 0;
	if (srv_db_request_find(x->db, it->id, &r) == 1) {
		o = open_identity(x, r.sealed, r.sealed_len);
		srv_db_request_free(&r);
	}
	put(x, "<section class=\"panel\" id=\"content\"><h2>");
	put(x, W(x, W_CONTENT));
	put(x, "</h2>");
	if (!o) {
		put(x, "<p class=\"error\">");
		put(x, W(x, W_CONTENT_UNREADABLE));
		put(x, "</p></section>\n");
		return;
	}
	put(x, "<dl class=\"facts content\" id=\"content-fields\">");
	for (i = 0; i < CATALOG_FIELDS && x->c->cat; i++) {
		const char *name = x->c->cat->fields[i].name;
		json_t *value = json_object_get(o, name);
		if (!is_content_field(name) || !json_is_string(value) || !json_string_value(value)[0]) continue;
		put(x, "<dt>");
		esc(x, x->c->cat->fields[i].label[x->lang]);
		put(x, "</dt><dd>");
		esc(x, json_string_value(value));
		put(x, "</dd>");
		shown++;
	}
	if (!shown) put(x, "<dd>—</dd>");
	put(x, "</dl></section>\n");
	x->out->personal = 1;
	json_decref(o);
}

static void identity_block(exchange *x, const work_item *it, const request_view *v)
{
	int denunciation = strcmp(it->category, "denunciation") == 0, i;
	const char *key;
	json_t *val;
	put(x, "<section class=\"panel identity\" id=\"identity\"><h2>");
	put(x, W(x, W_IDENTITY));
	put(x, "</h2>");
	if (v->identity) {
		put(x, "<p class=\"secret\">");
		put(x, W(x, W_IDENTITY_NOTE));
		put(x, "</p><dl class=\"facts\" id=\"identity-fields\">");
		/* The catalog's fields first, in its order, with its labels; then
		 * anything else the kiosk sealed. */
		for (i = 0; i < CATALOG_FIELDS && x->c->cat; i++) {
			const char *name = x->c->cat->fields[i].name;
			json_t *value = json_object_get(v->identity, name);
			if (is_content_field(name)) continue;
			if (!json_is_string(value) || !json_string_value(value)[0]) continue;
			put(x, "<dt>");
			esc(x, x->c->cat->fields[i].label[x->lang]);
			put(x, "</dt><dd>");
			esc(x, json_string_value(value));
			put(x, "</dd>");
		}
		json_object_foreach(v->identity, key, val) {
			if (is_content_field(key) || (x->c->cat && catalog_field_index(key) >= 0)) continue;
			if (!json_is_string(val)) continue;
			put(x, "<dt>");
			esc(x, key);
			put(x, "</dt><dd>");
			esc(x, json_string_value(val));
			put(x, "</dd>");
		}
		put(x, "</dl></section>\n");
		return;
	}
	if (v->identity_error) {
		put(x, "<p class=\"error\" role=\"alert\">");
		esc(x, v->identity_error);
		put(x, "</p>");
	}
	if (denunciation && !is_supervisor(x)) {
		put(x, "<p class=\"secret\" id=\"identity-secret\">");
		put(x, W(x, W_DENOUNCER_SECRET));
		put(x, "</p></section>\n");
		return;
	}
	if (denunciation) {
		put(x, "<p class=\"secret\">");
		put(x, W(x, W_DENOUNCER_SUPERVISOR));
		put(x, "</p>");
	}
	put(x, "<form class=\"stack\" method=\"post\" action=\"/staff/r/");
	put_url(x, it->id);
	put(x, "/identity\">");
	csrf_field(x);
	put(x, "<label>");
	put(x, W(x, W_REASON));
	put(x, "<input type=\"text\" name=\"reason\" id=\"reason\" maxlength=\"400\"");
	put(x, denunciation ? " required>" : ">");
	put(x, "</label><button type=\"submit\" id=\"show-identity\">");
	put(x, W(x, W_SHOW_IDENTITY));
	put(x, "</button></form></section>\n");
}

static void action_form(exchange *x, const work_item *it, int a, const request_view *v)
{
	const char *name = srv_work_action_name((work_action)a);
	unsigned fields = action_forms[a].fields;
	int open = v->open_action && strcmp(v->open_action, name) == 0;
	int keep = open && v->keep;
	const char *complexity = keep ? field(x, "complexity") : "";
	put(x, "<details id=\"act-");
	put(x, name);
	put(x, open ? "\" open><summary>" : "\"><summary>");
	put(x, action_forms[a].label[x->lang]);
	put(x, "</summary><form method=\"post\" action=\"/staff/r/");
	put_url(x, it->id);
	put(x, "/act\">");
	csrf_field(x);
	put(x, "<input type=\"hidden\" name=\"action\" value=\"");
	put(x, name);
	put(x, "\">");
	if (open && v->error) {
		put(x, "<p class=\"error\" role=\"alert\">");
		esc(x, v->error);
		put(x, "</p>");
	}
	if (fields & F_COMPLEXITY) {
		put(x, "<label>");
		put(x, W(x, W_COMPLEXITY));
		put(x, "<select name=\"complexity\">");
		option(x, "0", W(x, W_NORMAL), complexity[0] ? complexity : "0");
		option(x, "1", W(x, W_COMPLEX), complexity);
		option(x, "2", W(x, W_VERY_COMPLEX), complexity);
		put(x, "</select></label>");
	}
	if (fields & F_OFFICE) {
		put(x, "<label>");
		put(x, W(x, W_OFFICE));
		put(x, "<input type=\"text\" name=\"office\" maxlength=\"120\" value=\"");
		if (keep) esc(x, field(x, "office"));
		put(x, "\"></label>");
	}
	if (fields & F_DATE) {
		put(x, "<label>");
		put(x, W(x, W_NEW_DATE));
		put(x, "<input type=\"date\" name=\"new_date\" value=\"");
		if (keep) esc(x, field(x, "new_date"));
		put(x, "\"></label>");
	}
	put(x, "<label>");
	put(x, W(x, W_NOTE));
	put(x, "<textarea name=\"note\" maxlength=\"2000\" required>");
	if (keep) esc(x, field(x, "note"));
	put(x, "</textarea></label><button type=\"submit\">");
	put(x, action_forms[a].label[x->lang]);
	put(x, "</button></form></details>\n");
}

static void render_request(exchange *x, const char *id, const request_view *v)
{
	work_item it;
	communes *cs;
	char grouped[TOKEN_GROUPED_LEN + 1], text[64], err[300];
	int found = srv_work_get(x->db, id, x->now, &it), a;
	if (found <= 0) {
		message_page(x, found < 0 ? 503 : 404, found < 0 ? W_UNAVAILABLE : W_NOT_FOUND);
		return;
	}
	if (!(cs = malloc(sizeof *cs)) || load_communes(x, cs) != 0) {
		free(cs);
		message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	x->html.buf->len = 0;
	x->out->status = v->status ? v->status : 200;
	token_group(it.token, grouped);
	head(x, grouped);
	put(x, "<p><a href=\"/staff/inbox\">");
	put(x, W(x, W_BACK_INBOX));
	put(x, "</a></p><h1>");
	put(x, W(x, W_REQUEST));
	put(x, " <span class=\"code\" id=\"receipt\">");
	esc(x, grouped);
	put(x, "</span>");
	if (it.overdue) {
		put(x, "<span class=\"badge\" id=\"overdue\">");
		put(x, W(x, W_OVERDUE));
		put(x, "</span>");
	}
	put(x, "</h1>\n");
	if (strcmp(arg(x, "done"), "1") == 0 && !v->error) {
		put(x, "<p class=\"notice\" role=\"status\" id=\"done\">");
		put(x, W(x, W_SAVED));
		put(x, "</p>");
	}
	put(x, "<div class=\"grid\"><div>\n<section class=\"panel\"><dl class=\"facts\">");
	fact(x, W_REQUEST_ID, it.id, "request-id");
	fact(x, W_CATEGORY, category_name(x, it.category), "category");
	if (it.procedure[0]) fact(x, W_PROCEDURE, procedure_name(x, it.procedure), "procedure");
	put(x, "<dt>");
	put(x, W(x, W_COMMUNE));
	put(x, "</dt><dd>");
	commune_label(x, cs, it.commune);
	put(x, "</dd>");
	format_local(it.received_at, text);
	fact(x, W_RECEIVED, text, NULL);
	if (it.accepted_at) {
		format_local(it.accepted_at, text);
		fact(x, W_ACCEPTED, text, NULL);
	}
	format_day(it.due, text);
	fact(x, W_DEADLINE_NOW, text, "deadline");
	fact(x, W_STATUS, status_label(x, it.status), "status");
	snprintf(text, sizeof text, "%d", it.extensions);
	fact(x, W_EXTENSIONS, text, "extensions");
	if (it.apologies) {
		snprintf(text, sizeof text, "%d", it.apologies);
		fact(x, W_APOLOGIES, text, NULL);
	}
	if (it.forwarded_to[0]) fact(x, W_FORWARDED, it.forwarded_to, NULL);
	if (it.conference_id) {
		put(x, "<dt>");
		put(x, W(x, W_CONFERENCE));
		html_putf(&x->html, "</dt><dd><a href=\"/staff/conferences/%lld\">#%lld</a></dd>", it.conference_id, it.conference_id);
	}
	put(x, "</dl></section>\n<section class=\"panel\"><h2>");
	put(x, W(x, W_TIMELINE));
	put(x, "</h2><ol class=\"timeline\" id=\"timeline\">\n");
	if (srv_db_request_events(x->db, it.id, timeline_row, x) != 0)
		log_error("console: the events of a request could not be read");
	put(x, "</ol></section>\n");
	content_block(x, &it);
	identity_block(x, &it, v);
	put(x, "</div><div>\n<section class=\"panel\" id=\"actions\"><h2>");
	put(x, W(x, W_ACTIONS));
	put(x, "</h2>");
	if (it.closed_at || status_is_final(it.status)) {
		put(x, "<p class=\"muted\">");
		put(x, W(x, W_FINAL));
		put(x, "</p>");
	} else {
		for (a = 0; a < WORK_NACTIONS; a++) {
			if ((action_forms[a].fields & F_OVERDUE_ONLY) && !it.overdue) continue;
			action_form(x, &it, a, v);
		}
	}
	put(x, "</section>\n");
	if (is_supervisor(x)) {
		put(x, "<section class=\"panel\"><h2>");
		put(x, W(x, W_REQUEST_AUDIT));
		put(x, "</h2><table><thead><tr><th>");
		put(x, W(x, W_WHEN));
		put(x, "</th><th>");
		put(x, W(x, W_WHO));
		put(x, "</th><th>");
		put(x, W(x, W_WHAT));
		put(x, "</th><th></th><th>");
		put(x, W(x, W_DETAIL));
		put(x, "</th></tr></thead><tbody>");
		if (srv_work_audit_list(x->db, it.id, 50, audit_row, x, err, sizeof err) != 0)
			log_error("console: %s", err);
		put(x, "</tbody></table></section>\n");
	}
	put(x, "</div></div>\n");
	free(cs);
	foot(x);
}

/* The rest of a /staff/r/ path up to the next '/': a request id or token. */
static void request_id_of(const char *rest, char *out, size_t outlen)
{
	size_t n = strcspn(rest, "/");
	if (n >= outlen) n = 0;
	memcpy(out, rest, n);
	out[n] = '\0';
}

static void show_request(exchange *x)
{
	request_view v;
	char id[64];
	request_id_of(x->rest, id, sizeof id);
	memset(&v, 0, sizeof v);
	if (!id[0] || x->rest[strlen(id)]) {
		message_page(x, 404, W_NOT_FOUND);
		return;
	}
	render_request(x, id, &v);
}

static void do_action(exchange *x, const char *id)
{
	const char *action = field(x, "action");
	int a = srv_work_action_parse(action), rc;
	work_step step;
	request_view v;
	work_item it;
	char err[600], location[200];
	memset(&v, 0, sizeof v);
	if (a < 0) {
		message_page(x, 400, W_NOT_FOUND);
		return;
	}
	if (srv_work_get(x->db, id, x->now, &it) != 1) {
		message_page(x, 404, W_NOT_FOUND);
		return;
	}
	memset(&step, 0, sizeof step);
	step.action = (work_action)a;
	step.note = field(x, "note");
	step.office = field(x, "office");
	step.complexity = (work_complexity)atoi(field(x, "complexity"));
	if (step.complexity < WORK_NORMAL || step.complexity > WORK_VERY_COMPLEX) step.complexity = WORK_NORMAL;
	step.new_date = field(x, "new_date");
	step.actor = x->session.name;
	rc = srv_work_act(x->db, x->c->cat, x->c->calendar, it.id, &step, x->now, err, sizeof err);
	if (rc == 0) {
		snprintf(location, sizeof location, "/staff/r/%s?done=1", it.id);
		redirect(x, location);
		return;
	}
	if (rc < 0) log_error("action: %s", err);
	v.open_action = action;
	v.error = rc < 0 ? W(x, W_UNAVAILABLE) : err;
	v.keep = 1;
	v.status = rc < 0 ? 503 : 422;
	render_request(x, it.id, &v);
}

/* Opens a sealed identity in memory; the clear text is wiped before
 * returning, the JSON tree is the caller's to free. */
static json_t *open_identity(exchange *x, const unsigned char *sealed, size_t len)
{
	unsigned char *clear;
	size_t n = len > SEAL_OVERHEAD ? len - SEAL_OVERHEAD : 0;
	json_t *o = NULL;
	if (!n || !(clear = malloc(n))) return NULL;
	if (seal_open(x->c->keys->box_pk, x->c->keys->box_sk, sealed, len, clear) == 0) {
		o = json_loadb((const char *)clear, n, 0, NULL);
		if (o && !json_is_object(o)) {
			json_decref(o);
			o = NULL;
		}
	}
	sodium_memzero(clear, n);
	free(clear);
	return o;
}

static void do_identity(exchange *x, const char *id)
{
	unsigned char *sealed = NULL;
	size_t sealed_len = 0;
	char err[600];
	request_view v;
	work_item it;
	int rc;
	memset(&v, 0, sizeof v);
	if (srv_work_get(x->db, id, x->now, &it) != 1) {
		message_page(x, 404, W_NOT_FOUND);
		return;
	}
	rc = srv_work_identity(x->db, it.id, x->session.name, x->session.role, field(x, "reason"), x->now,
		&sealed, &sealed_len, err, sizeof err);
	if (rc != 0) {
		if (rc < 0) log_error("identity: %s", err);
		v.identity_error = rc < 0 ? W(x, W_UNAVAILABLE) : err;
		v.status = rc < 0 ? 503 : 403;
		render_request(x, it.id, &v);
		return;
	}
	v.identity = open_identity(x, sealed, sealed_len);
	free(sealed);
	if (!v.identity) v.identity_error = "the sealed record cannot be opened with this server's key";
	x->out->personal = 1;
	render_request(x, it.id, &v);
	json_decref(v.identity);
}

static void post_request(exchange *x)
{
	char id[64];
	const char *what;
	request_id_of(x->rest, id, sizeof id);
	what = x->rest + strlen(id);
	if (id[0] && strcmp(what, "/act") == 0) do_action(x, id);
	else if (id[0] && strcmp(what, "/identity") == 0) do_identity(x, id);
	else message_page(x, 404, W_NOT_FOUND);
}

/* ---- conferences ---- */

static int conference_row(const work_conference *cf, void *arg)
{
	void **pair = arg;
	exchange *x = pair[0];
	const communes *cs = pair[1];
	char at[20];
	format_local(cf->at, at);
	html_putf(&x->html, "<tr><td><a href=\"/staff/conferences/%lld\">", cf->id);
	put(x, at);
	put(x, "</a></td><td>");
	commune_label(x, cs, cf->commune);
	put(x, "</td><td>");
	esc(x, cf->topic);
	put(x, "</td><td>");
	esc(x, cf->place);
	put(x, "</td><td>");
	esc(x, cf->leaders);
	html_putf(&x->html, "</td><td>%lld</td></tr>\n", cf->questions);
	return 0;
}

static void page_conferences(exchange *x)
{
	communes *cs = malloc(sizeof *cs);
	const char *commune = arg(x, "commune");
	int past = strcmp(arg(x, "past"), "1") == 0;
	void *pair[2];
	char err[300];
	size_t before;
	if (!cs || load_communes(x, cs) != 0) {
		free(cs);
		message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	head(x, W(x, W_CONFERENCES));
	put(x, "<h1>");
	put(x, W(x, W_CONFERENCES));
	put(x, "</h1><form class=\"panel filters\" method=\"get\" action=\"/staff/conferences\"><label>");
	put(x, W(x, W_COMMUNE));
	commune_select(x, cs, "commune", commune, W_ALL_COMMUNES);
	put(x, "</label><label class=\"check\"><input type=\"checkbox\" name=\"past\" value=\"1\"");
	put(x, past ? " checked>" : ">");
	put(x, W(x, W_PAST_TOO));
	put(x, "</label><button type=\"submit\">");
	put(x, W(x, W_FILTER));
	put(x, "</button><a class=\"button\" id=\"announce\" href=\"/staff/conferences/new\">");
	put(x, W(x, W_ANNOUNCE));
	put(x, "</a></form>\n<table id=\"conferences\"><thead><tr><th>");
	put(x, W(x, W_WHEN));
	put(x, "</th><th>");
	put(x, W(x, W_COMMUNE));
	put(x, "</th><th>");
	put(x, W(x, W_TOPIC));
	put(x, "</th><th>");
	put(x, W(x, W_PLACE));
	put(x, "</th><th>");
	put(x, W(x, W_LEADERS));
	put(x, "</th><th>");
	put(x, W(x, W_QUESTIONS));
	put(x, "</th></tr></thead><tbody>\n");
	pair[0] = x;
	pair[1] = cs;
	before = x->html.buf->len;
	if (srv_work_conferences(x->db, commune, past ? 0 : x->now - 86400, conference_row, pair, err, sizeof err) != 0) {
		log_error("conferences: %s", err);
		free(cs);
		message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	if (x->html.buf->len == before) {
		put(x, "<tr><td colspan=\"6\" class=\"muted\">");
		put(x, W(x, W_NO_CONFERENCES));
		put(x, "</td></tr>");
	}
	put(x, "</tbody></table>\n");
	free(cs);
	foot(x);
}

/* The announce or edit form; cf NULL for a new one, posted non-NULL to
 * keep what was typed after a refusal. */
static void conference_form(exchange *x, const communes *cs, const work_conference *cf, int posted)
{
	char date[11] = "", hm[6] = "";
	time_t v;
	struct tm tm;
	if (posted) {
		snprintf(date, sizeof date, "%s", field(x, "date"));
		snprintf(hm, sizeof hm, "%s", field(x, "time"));
	} else if (cf) {
		v = (time_t)(cf->at + VN_OFFSET);
		if (gmtime_r(&v, &tm)) {
			strftime(date, sizeof date, "%Y-%m-%d", &tm);
			strftime(hm, sizeof hm, "%H:%M", &tm);
		}
	}
	put(x, "<form class=\"stack panel\" method=\"post\" action=\"/staff/conferences\">");
	csrf_field(x);
	html_putf(&x->html, "<input type=\"hidden\" name=\"id\" value=\"%lld\">", cf ? cf->id : 0);
	put(x, "<label>");
	put(x, W(x, W_COMMUNE));
	commune_select(x, cs, "commune", posted ? field(x, "commune") : cf ? cf->commune : "", NWORDS);
	put(x, "</label><label>");
	put(x, W(x, W_DATE));
	put(x, "<input type=\"date\" name=\"date\" required value=\"");
	esc(x, date);
	put(x, "\"></label><label>");
	put(x, W(x, W_TIME));
	put(x, "<input type=\"time\" name=\"time\" required value=\"");
	esc(x, hm);
	put(x, "\"></label><label>");
	put(x, W(x, W_PLACE));
	put(x, "<input type=\"text\" name=\"place\" maxlength=\"500\" required value=\"");
	esc(x, posted ? field(x, "place") : cf ? cf->place : "");
	put(x, "\"></label><label>");
	put(x, W(x, W_LEADERS));
	put(x, "<input type=\"text\" name=\"leaders\" maxlength=\"500\" value=\"");
	esc(x, posted ? field(x, "leaders") : cf ? cf->leaders : "");
	put(x, "\"></label><label>");
	put(x, W(x, W_TOPIC));
	put(x, "<textarea name=\"topic\" maxlength=\"500\" required>");
	esc(x, posted ? field(x, "topic") : cf ? cf->topic : "");
	put(x, "</textarea></label><button type=\"submit\" id=\"save-conference\">");
	put(x, W(x, W_SAVE));
	put(x, "</button></form>\n");
}

static int question_row(const work_item *it, void *arg)
{
	exchange *x = arg;
	char grouped[TOKEN_GROUPED_LEN + 1], received[20];
	token_group(it->token, grouped);
	format_local(it->received_at, received);
	put(x, "<tr><td><a class=\"code\" href=\"/staff/r/");
	put_url(x, it->id);
	put(x, "\">");
	esc(x, grouped);
	put(x, "</a></td><td>");
	put(x, received);
	put(x, "</td><td>");
	esc(x, status_label(x, it->status));
	put(x, "</td></tr>\n");
	return 0;
}

static void render_conference(exchange *x, long long id, const char *error, int status)
{
	communes *cs = malloc(sizeof *cs);
	work_conference cf;
	work_filter f;
	char err[300], at[20];
	int found = id ? srv_work_conference_get(x->db, id, &cf) : 0;
	if (!cs || found < 0 || load_communes(x, cs) != 0) {
		free(cs);
		message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	if (id && !found) {
		free(cs);
		message_page(x, 404, W_NOT_FOUND);
		return;
	}
	x->html.buf->len = 0;
	x->out->status = status;
	head(x, W(x, W_CONFERENCE));
	put(x, "<p><a href=\"/staff/conferences\">← ");
	put(x, W(x, W_CONFERENCES));
	put(x, "</a></p><h1>");
	if (found) {
		format_local(cf.at, at);
		put(x, W(x, W_CONFERENCE));
		put(x, " ");
		put(x, at);
		put(x, " · ");
		commune_label(x, cs, cf.commune);
	} else {
		put(x, W(x, W_ANNOUNCE));
	}
	put(x, "</h1>");
	if (strcmp(arg(x, "done"), "1") == 0 && !error) {
		put(x, "<p class=\"notice\" role=\"status\">");
		put(x, W(x, W_CONFERENCE_SAVED));
		put(x, "</p>");
	}
	if (error) {
		put(x, "<p class=\"error\" role=\"alert\">");
		esc(x, error);
		put(x, "</p>");
	}
	put(x, "<div class=\"grid\"><div>");
	conference_form(x, cs, found ? &cf : NULL, error != NULL);
	put(x, "</div><div>");
	if (found) {
		put(x, "<section class=\"panel\"><h2>");
		put(x, W(x, W_QUESTIONS));
		put(x, "</h2><table id=\"questions\"><thead><tr><th>");
		put(x, W(x, W_RECEIPT));
		put(x, "</th><th>");
		put(x, W(x, W_RECEIVED));
		put(x, "</th><th>");
		put(x, W(x, W_STATUS));
		put(x, "</th></tr></thead><tbody>\n");
		memset(&f, 0, sizeof f);
		f.conference_id = cf.id;
		f.limit = 500;
		if (srv_work_inbox(x->db, &f, x->now, question_row, x, NULL, err, sizeof err) != 0)
			log_error("conference questions: %s", err);
		put(x, "</tbody></table></section>");
	}
	put(x, "</div></div>\n");
	free(cs);
	foot(x);
}

static void page_conference(exchange *x)
{
	char *end;
	long long id;
	if (strcmp(x->rest, "new") == 0) {
		render_conference(x, 0, NULL, 200);
		return;
	}
	id = strtoll(x->rest, &end, 10);
	if (id <= 0 || *end) {
		message_page(x, 404, W_NOT_FOUND);
		return;
	}
	render_conference(x, id, NULL, 200);
}

static void do_conference_save(exchange *x)
{
	work_conference cf;
	char err[600], location[64];
	long long at = parse_local(field(x, "date"), field(x, "time"));
	int rc;
	memset(&cf, 0, sizeof cf);
	cf.id = atoll(field(x, "id"));
	if (cf.id < 0) cf.id = 0;
	if (at < 0 || strlen(field(x, "commune")) != 5 || !field(x, "place")[0] || !field(x, "topic")[0] ||
	    strlen(field(x, "place")) >= sizeof cf.place || strlen(field(x, "leaders")) >= sizeof cf.leaders ||
	    strlen(field(x, "topic")) >= sizeof cf.topic) {
		render_conference(x, cf.id, W(x, W_BAD_CONFERENCE), 422);
		return;
	}
	snprintf(cf.commune, sizeof cf.commune, "%s", field(x, "commune"));
	cf.at = at;
	snprintf(cf.place, sizeof cf.place, "%s", field(x, "place"));
	snprintf(cf.leaders, sizeof cf.leaders, "%s", field(x, "leaders"));
	snprintf(cf.topic, sizeof cf.topic, "%s", field(x, "topic"));
	rc = srv_work_conference_save(x->db, &cf, x->session.name, x->now, err, sizeof err);
	if (rc != 0) {
		if (rc < 0) log_error("conference: %s", err);
		render_conference(x, atoll(field(x, "id")), rc < 0 ? W(x, W_UNAVAILABLE) : err, rc < 0 ? 503 : 422);
		return;
	}
	snprintf(location, sizeof location, "/staff/conferences/%lld?done=1", cf.id);
	redirect(x, location);
}

/* ---- the audit log ---- */

static void page_audit(exchange *x)
{
	char err[300];
	head(x, W(x, W_AUDIT));
	put(x, "<h1>");
	put(x, W(x, W_AUDIT));
	put(x, "</h1><table id=\"audit\"><thead><tr><th>");
	put(x, W(x, W_WHEN));
	put(x, "</th><th>");
	put(x, W(x, W_WHO));
	put(x, "</th><th>");
	put(x, W(x, W_WHAT));
	put(x, "</th><th>");
	put(x, W(x, W_REQUEST));
	put(x, "</th><th>");
	put(x, W(x, W_DETAIL));
	put(x, "</th></tr></thead><tbody>\n");
	if (srv_work_audit_list(x->db, "", AUDIT_ROWS, audit_row, x, err, sizeof err) != 0) {
		log_error("audit: %s", err);
		message_page(x, 503, W_UNAVAILABLE);
		return;
	}
	put(x, "</tbody></table>\n");
	foot(x);
}

/* ---- routes ---- */

typedef enum { NEED_NOTHING, NEED_SESSION, NEED_SUPERVISOR } need;

typedef struct {
	const char *method;
	const char *path;
	int prefix;
	need needs;
	void (*fn)(exchange *x);
} console_route;

static const console_route routes[] = {
	{ "GET", "/staff/style.css", 0, NEED_NOTHING, page_style },
	{ "GET", "/staff/login", 0, NEED_NOTHING, page_login },
	{ "POST", "/staff/login", 0, NEED_NOTHING, do_login },
	{ "GET", "/staff/lang", 0, NEED_NOTHING, do_lang },
	{ "POST", "/staff/logout", 0, NEED_SESSION, do_logout },
	{ "GET", "/staff", 0, NEED_SESSION, go_inbox },
	{ "GET", "/staff/", 0, NEED_SESSION, go_inbox },
	{ "GET", "/staff/inbox", 0, NEED_SESSION, page_inbox },
	{ "GET", "/staff/r/", 1, NEED_SESSION, show_request },
	{ "POST", "/staff/r/", 1, NEED_SESSION, post_request },
	{ "GET", "/staff/conferences", 0, NEED_SESSION, page_conferences },
	{ "GET", "/staff/conferences/", 1, NEED_SESSION, page_conference },
	{ "POST", "/staff/conferences", 0, NEED_SESSION, do_conference_save },
	{ "GET", "/staff/audit", 0, NEED_SUPERVISOR, page_audit },
};

/* An Origin, when the browser sends one, must be this server as the
 * browser reached it. */
static int origin_ok(const console_request *rq)
{
	const char *o = rq->origin, *rest;
	if (!o) return 1;
	if (!rq->host) return 0;
	if (strncmp(o, "http://", 7) == 0) rest = o + 7;
	else if (strncmp(o, "https://", 8) == 0) rest = o + 8;
	else return 0;
	return strcmp(rest, rq->host) == 0;
}

/* Where a request without a live session goes: the login page, then back
 * to the page asked for (a form's page for a POST: what it sent is lost). */
static void to_login(exchange *x)
{
	static const char hex[] = "0123456789ABCDEF";
	const char *why = x->rq->session_cookie && x->rq->session_cookie[0] ? "expired" : "";
	const char *p = x->rq->path;
	char location[1024];
	size_t n = (size_t)snprintf(location, sizeof location, "/staff/login?why=%s&next=", why);
	for (; *p && n + 4 < sizeof location; p++) {
		unsigned char ch = (unsigned char)*p;
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || strchr("-_.~/", ch)) {
			location[n++] = (char)ch;
		} else {
			location[n++] = '%';
			location[n++] = hex[ch >> 4];
			location[n++] = hex[ch & 15];
		}
	}
	location[n] = '\0';
	redirect(x, location);
	if (why[0]) set_cookie(x, CONSOLE_COOKIE_SESSION, "", "; Max-Age=0");
}

void console_handle(const console_ctx *c, srv_db *db, const console_request *rq, long long now,
	console_response *out, page_buf *body)
{
	exchange x;
	const console_route *r = NULL;
	const char *method = strcmp(rq->method, "HEAD") == 0 ? "GET" : rq->method;
	size_t i;
	int found;
	memset(out, 0, sizeof *out);
	memset(&x, 0, sizeof x);
	out->status = 200;
	out->type = TEXT_HTML;
	body->len = 0;
	x.c = c;
	x.db = db;
	x.rq = rq;
	x.out = out;
	x.html.buf = body;
	x.now = now;
	x.lang = rq->lang_cookie && strcmp(rq->lang_cookie, "en") == 0 ? LANG_EN : LANG_VI;
	for (i = 0; i < sizeof routes / sizeof routes[0] && !r; i++) {
		const console_route *t = &routes[i];
		if (strcmp(t->method, method) != 0) continue;
		if (t->prefix ? strncmp(rq->path, t->path, strlen(t->path)) == 0 : strcmp(rq->path, t->path) == 0) r = t;
	}
	if (!r) {
		message_page(&x, 404, W_NOT_FOUND);
		goto done;
	}
	x.rest = rq->path + (r->prefix ? strlen(r->path) : strlen(rq->path));
	if (strcmp(method, "POST") == 0) {
		if (!origin_ok(rq) || (rq->form && rq->form->too_large)) {
			message_page(&x, 403, W_STALE_FORM);
			goto done;
		}
	}
	if (r->needs != NEED_NOTHING) {
		found = srv_auth_session_get(db, rq->session_cookie, &c->limits, now, &x.session);
		if (found < 0) {
			message_page(&x, 503, W_UNAVAILABLE);
			goto done;
		}
		if (found == 0) {
			to_login(&x);
			goto done;
		}
		x.has_session = 1;
		if (strcmp(method, "POST") == 0 && !srv_auth_csrf_ok(&x.session, field(&x, "csrf"))) {
			message_page(&x, 403, W_STALE_FORM);
			goto done;
		}
		if (r->needs == NEED_SUPERVISOR && !is_supervisor(&x)) {
			message_page(&x, 403, W_FORBIDDEN);
			goto done;
		}
	}
	r->fn(&x);
done:
	if (x.html.failed) {
		static const char oom[] = "out of memory\n";
		out->status = 500;
		out->type = "text/plain; charset=utf-8";
		body->len = 0;
		if (body->data && body->cap > sizeof oom) {
			memcpy(body->data, oom, sizeof oom);
			body->len = sizeof oom - 1;
		}
	}
}

/* ---- forms ---- */

int console_form_add(console_form *f, const char *name, const char *data, uint64_t off, size_t size)
{
	console_field *fl = NULL;
	char *grown;
	int i;
	if (f->too_large) return 0;
	for (i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0) fl = &f->fields[i];
	if (!fl) {
		if (f->n == CONSOLE_FORM_FIELDS || strlen(name) >= sizeof fl->name) {
			f->too_large = 1;
			return 0;
		}
		fl = &f->fields[f->n++];
		snprintf(fl->name, sizeof fl->name, "%s", name);
	}
	if (off != fl->len || fl->len + size >= CONSOLE_FIELD_MAX || f->total + size > CONSOLE_BODY_MAX) {
		f->too_large = 1;
		return 0;
	}
	if (!(grown = realloc(fl->value, fl->len + size + 1))) return -1;
	fl->value = grown;
	memcpy(fl->value + fl->len, data, size);
	fl->len += size;
	fl->value[fl->len] = '\0';
	f->total += size;
	return 0;
}

const char *console_form_get(const console_form *f, const char *name)
{
	int i;
	for (i = 0; i < f->n; i++)
		if (strcmp(f->fields[i].name, name) == 0) return f->fields[i].value ? f->fields[i].value : "";
	return NULL;
}

void console_form_free(console_form *f)
{
	int i;
	for (i = 0; i < f->n; i++) {
		if (f->fields[i].value) sodium_memzero(f->fields[i].value, f->fields[i].len);
		free(f->fields[i].value);
	}
	memset(f, 0, sizeof *f);
}
