/* i18n: the kiosk's own texts in Vietnamese and English.
 *
 * One table, one row a text, so a missing translation shows up as a compile
 * error rather than a blank button. Texts that come from the catalog (the
 * categories, procedures and field labels) are not here. */
#ifndef MOTCUA_I18N_H
#define MOTCUA_I18N_H

#include "catalog.h"

#define I18N_TEXTS(X) \
	X(APP_TITLE, "Tiếp nhận hồ sơ một cửa", "One-stop-shop office") \
	X(HOME_FILE, "Nộp hồ sơ, gửi ý kiến", "File a request") \
	X(HOME_FILE_HINT, "Thủ tục, kiến nghị, phản ánh, khiếu nại, tố cáo, đối thoại", "Procedures, petitions, reflections, complaints, denunciations, dialogue") \
	X(HOME_LOOKUP, "Tra cứu kết quả", "Check status") \
	X(HOME_LOOKUP_HINT, "Quét mã QR trên giấy hẹn hoặc nhập mã", "Scan the QR code on your receipt or type its code") \
	X(HOME_HELP, "Chạm vào một nút để bắt đầu. Không cần mạng, không cần tài khoản.", "Touch a button to start. No network or account needed.") \
	X(LANG_OTHER, "English", "Tiếng Việt") \
	X(BACK, "Quay lại", "Back") \
	X(NEXT, "Tiếp tục", "Next") \
	X(CATEGORY_TITLE, "Bạn muốn gửi gì?", "What would you like to file?") \
	X(PROCEDURE_TITLE, "Chọn thủ tục", "Choose the procedure") \
	X(PAGE_PREV, "Trang trước", "Previous") \
	X(PAGE_NEXT, "Trang sau", "More") \
	X(SAME_DAY, "Trả trong ngày", "Same day") \
	X(WORKING_DAYS, "%d ngày làm việc", "%d working days") \
	X(CALENDAR_DAYS, "%d ngày", "%d days") \
	X(REQUIRED, "bắt buộc", "required") \
	X(OPTIONAL, "không bắt buộc", "optional") \
	X(ERR_REQUIRED, "Xin nhập mục này.", "Please fill this in.") \
	X(ERR_TOO_LONG, "Quá dài: tối đa %d ký tự.", "Too long: at most %d characters.") \
	X(ERR_CONTROL, "Có ký tự không hợp lệ.", "Contains characters that are not allowed.") \
	X(ERR_PHONE, "Số điện thoại gồm 10 chữ số, bắt đầu bằng 0.", "A phone number has 10 digits and starts with 0.") \
	X(ERR_CITIZEN_ID, "Số CCCD gồm đúng 12 chữ số.", "A citizen ID has exactly 12 digits.") \
	X(FORM_FIX, "Xin sửa các mục tô đỏ.", "Please correct the fields in red.") \
	X(REVIEW_TITLE, "Kiểm tra lại trước khi gửi", "Check before sending") \
	X(REVIEW_EDIT, "Sửa", "Edit") \
	X(REVIEW_SUBMIT, "Gửi hồ sơ", "Submit") \
	X(REVIEW_WHAT, "Loại", "Type") \
	X(EMPTY_VALUE, "(không nhập)", "(not given)") \
	X(DEADLINE, "Hẹn trả kết quả", "Appointment") \
	X(DEADLINE_ACCEPT, "Hạn thụ lý", "Acceptance due") \
	X(RECEIPT_TITLE, "Đã tiếp nhận hồ sơ", "Request received") \
	X(RECEIPT_CODE, "Mã tra cứu", "Receipt code") \
	X(RECEIPT_ID, "Số hồ sơ", "Request no.") \
	X(RECEIPT_TIME, "Thời gian nhận", "Received") \
	X(RECEIPT_NEXT, "Hồ sơ sẽ được gửi lên %s khi có mạng. Quét mã QR bằng điện thoại hoặc nhập mã tại đây để xem kết quả.", "Your request goes to the %s when the network is up. Scan the QR code with your phone, or type the code here, to see its status.") \
	X(RECEIPT_PHOTO, "Hãy chụp ảnh màn hình này hoặc ghi lại mã.", "Take a photo of this screen or write the code down.") \
	X(PRINT_BUSY, "Đang in giấy biên nhận…", "Printing your receipt…") \
	X(PRINT_DONE, "Đã in giấy biên nhận: xin nhận giấy ở máy in.", "Your receipt is printed: please take it from the printer.") \
	X(PRINT_FAILED, "Không in được giấy biên nhận: %s. Hãy chụp mã QR hoặc ghi lại mã tra cứu.", "No paper receipt: %s. Please photograph the QR code or write the code down.") \
	X(PRINTER_NO_PRINTER, "không tìm thấy máy in", "no printer found") \
	X(PRINTER_OFFLINE, "máy in chưa sẵn sàng", "the printer is offline") \
	X(PRINTER_PAPER_OUT, "hết giấy", "out of paper") \
	X(PRINTER_COVER_OPEN, "nắp máy in đang mở", "the printer cover is open") \
	X(PRINTER_WRITE_FAILED, "lỗi khi gửi tới máy in", "sending to the printer failed") \
	X(PAPER_OFFICE, "Bộ phận tiếp nhận và trả kết quả", "One-stop-shop reception") \
	X(PAPER_HEADING, "GIẤY TIẾP NHẬN HỒ SƠ\nVÀ HẸN TRẢ KẾT QUẢ", "RECEIPT AND APPOINTMENT") \
	X(PAPER_WHAT, "Nội dung", "Filed") \
	X(PAPER_NAME, "Người nộp", "Filed by") \
	X(PAPER_HOW, "Tra cứu kết quả: quét mã QR bằng điện thoại, hoặc nhập mã tại máy tiếp nhận hay tại %s", "To check the status, scan the QR code with a phone, or type the code at the kiosk or at %s") \
	X(PAPER_TEST, "TRANG IN THỬ", "TEST PAGE") \
	X(PAPER_WIDTH, "Khổ giấy %s mm: %d điểm", "Paper %s mm: %d dots") \
	X(PAPER_PRINTED, "In lúc %s", "Printed at %s") \
	X(STAFF_PRINTER, "Máy in: %s", "Printer: %s") \
	X(STAFF_PRINTER_NONE, "Chưa cấu hình máy in ([printer] device)", "No printer configured ([printer] device)") \
	X(STAFF_PRINT_TEST, "In trang thử", "Print test page") \
	X(PRINTER_IDLE, "chưa in lần nào", "nothing printed yet") \
	X(PRINTER_BUSY, "đang in", "printing") \
	X(PRINTER_PRINTED, "in được lúc %s", "printed at %s") \
	X(PRINTER_FAILED, "không in được lúc %s: %s", "could not print at %s: %s") \
	X(DONE, "Xong", "Done") \
	X(LOOKUP_TITLE, "Tra cứu hồ sơ", "Check a request") \
	X(LOOKUP_HINT, "Quét mã QR trên giấy hẹn, hoặc nhập mã 13 ký tự.", "Scan the QR code on your receipt, or type its 13-character code.") \
	X(LOOKUP_SUBMIT, "Tra cứu", "Look up") \
	X(LOOKUP_MALFORMED, "Mã không đúng dạng: mã gồm 13 chữ và số, ví dụ ABCD-EFGH-JKMNP.", "That is not a receipt code: it has 13 letters and digits, like ABCD-EFGH-JKMNP.") \
	X(LOOKUP_BADCHECK, "Mã có thể bị gõ nhầm một ký tự. Xin kiểm tra lại.", "The code seems mistyped by one character. Please check it.") \
	X(LOOKUP_UNKNOWN, "Không tìm thấy hồ sơ có mã này tại máy này.", "No request with this code at this kiosk.") \
	X(STATUS_TITLE, "Tình trạng hồ sơ", "Request status") \
	X(STATUS_HISTORY, "Diễn biến", "History") \
	X(STATUS_OVERDUE, "Quá hạn: xin lỗi ông/bà, cán bộ sẽ hẹn lại ngày trả.", "Overdue: we apologise; staff will set a new date.") \
	X(ST_RECEIVED, "Đã tiếp nhận tại máy", "Received at the kiosk") \
	X(ST_SYNCED, "Đã gửi lên %s", "Sent to the %s") \
	X(ST_ACCEPTED, "Đã thụ lý", "Accepted") \
	X(ST_IN_PROGRESS, "Đang giải quyết", "In progress") \
	X(ST_RESOLVED, "Đã có kết quả", "Resolved") \
	X(ST_REJECTED, "Từ chối", "Rejected") \
	X(ST_SUPPLEMENT, "Cần bổ sung hồ sơ", "Needs more documents") \
	X(ST_WITHDRAWN, "Đã rút", "Withdrawn") \
	X(ERROR_TITLE, "Tạm ngừng tiếp nhận", "Not accepting requests") \
	X(ERROR_MESSAGE, "Hiện máy không thể lưu hồ sơ. Xin ông/bà báo cán bộ một cửa. Hồ sơ chưa được gửi.", "This kiosk cannot store requests right now. Please ask the office staff. Your request has not been filed.") \
	X(ERROR_RETRY, "Thử lại", "Try again") \
	X(HOME, "Về trang đầu", "Home") \
	X(IDLE_MESSAGE, "Ông/bà còn ở đây không? Sau %d giây, những gì đã nhập sẽ bị xóa.", "Are you still there? In %d seconds, what you typed will be cleared.") \
	X(IDLE_CONTINUE, "Tôi vẫn đang dùng", "I am still here") \
	X(PIN_TITLE, "Dành cho cán bộ", "Staff only") \
	X(PIN_HINT, "Nhập mã PIN", "Enter the PIN") \
	X(PIN_WRONG, "Mã PIN không đúng.", "Wrong PIN.") \
	X(PIN_NONE, "Chưa đặt mã PIN cho máy này.", "No staff PIN is set on this kiosk.") \
	X(STAFF_TITLE, "Quản lý máy", "Kiosk staff menu") \
	X(STAFF_EXIT, "Thoát chương trình", "Exit the kiosk") \
	X(STAFF_COUNT, "Hồ sơ đã lưu: %lld · chờ gửi: %lld · quá hạn: %lld", "Requests stored: %lld · waiting to be sent: %lld · overdue: %lld") \
	X(STAFF_NO_DB, "Không mở được cơ sở dữ liệu của máy.", "The kiosk's database is not open.") \
	X(STAFF_SYNC, "Đồng bộ ngay", "Sync now") \
	X(STAFF_EXPORT, "Chép ra USB", "Export to USB") \
	X(STAFF_IMPORT, "Nạp từ USB", "Import from USB") \
	X(STAFF_CLOCK_OK, "đồng hồ máy khớp với máy chủ", "the clock is in step with the server's") \
	X(STAFF_CLOCK_BEHIND, "đồng hồ máy chậm %s so với máy chủ", "the clock is %s behind the server's") \
	X(STAFF_CLOCK_AHEAD, "đồng hồ máy nhanh %s so với máy chủ", "the clock is %s ahead of the server's") \
	X(STAFF_CLOCK_UNKNOWN, "chưa đo được độ lệch đồng hồ", "the clock offset is not measured yet") \
	X(STAFF_CLOCK_BACK, "đồng hồ máy bị lùi %s: hãy chỉnh lại giờ", "the clock went back %s: set it") \
	X(STAFF_DAYS, "%lld ngày %lld giờ", "%lld days %lld h") \
	X(STAFF_HOURS, "%lld giờ %02lld phút", "%lld h %02lld min") \
	X(STAFF_MINUTES, "%lld phút %02lld giây", "%lld min %02lld s") \
	X(STAFF_SECONDS, "%lld giây", "%lld s") \
	X(STAFF_WAITING, "Đang chờ lần đồng bộ tự động kết thúc…", "Waiting for the background sync to finish…") \
	X(STAFF_SENDING, "Đang gửi: %lld / %lld hồ sơ", "Sending: %lld of %lld requests") \
	X(STAFF_WORKING_NOW, "Đang kết nối với máy chủ…", "Talking to the server…") \
	X(STAFF_WORKING_EXPORT, "Đang chép ra USB…", "Writing to the USB stick…") \
	X(STAFF_WORKING_IMPORT, "Đang nạp từ USB…", "Reading the USB stick…") \
	X(STAFF_SYNC_OK, "Đã gửi %lld, nhận %lld cập nhật", "Sent %lld, received %lld updates") \
	X(STAFF_EXPORT_OK, "Đã chép %lld hồ sơ ra tệp %s", "Wrote %lld requests to %s") \
	X(STAFF_EXPORT_MANY, "Đã chép %lld hồ sơ ra %d tệp, tệp đầu: %s", "Wrote %lld requests in %d files, the first %s") \
	X(STAFF_IMPORT_OK, "Đã nạp %lld tệp trả lời: %lld hồ sơ được xác nhận, nhận %lld cập nhật", "Applied %lld answers: %lld requests acknowledged, %lld updates received") \
	X(STAFF_START_FAILED, "Không chạy được chương trình đồng bộ (motcua-sync).", "The sync program (motcua-sync) could not be run.") \
	X(SYNC_ERR_NOT_CONFIGURED, "Máy chưa được cấu hình địa chỉ hoặc khóa của máy chủ.", "The server's address or key is not configured.") \
	X(SYNC_ERR_NO_NETWORK, "Không kết nối được với máy chủ: hãy kiểm tra mạng.", "Could not reach the server: check the network.") \
	X(SYNC_ERR_NOT_REGISTERED, "Máy chủ chưa đăng ký máy này: báo quản trị để thêm máy.", "The server does not know this kiosk yet: ask for it to be registered.") \
	X(SYNC_ERR_REVOKED, "Máy chủ đã thu hồi quyền của máy này.", "The server has revoked this kiosk.") \
	X(SYNC_ERR_REFUSED, "Máy chủ từ chối đồng bộ.", "The server refused the sync.") \
	X(SYNC_ERR_BAD_ANSWER, "Câu trả lời không phải của máy chủ đã cấu hình, hoặc bị hỏng.", "The answer is not from the configured server, or is damaged.") \
	X(SYNC_ERR_CLOCK, "Đã đồng bộ, nhưng đồng hồ máy bị sai: hãy chỉnh giờ.", "Synced, but this kiosk's clock is wrong: set it.") \
	X(SYNC_ERR_CONFLICT, "Máy chủ từ chối một số hồ sơ trùng số: báo quản trị.", "The server refused some requests (same number, other content): tell the administrator.") \
	X(SYNC_ERR_LOCAL, "Lỗi trên máy này (cơ sở dữ liệu, khóa, tệp).", "A problem on this kiosk (database, key or files).") \
	X(SYNC_ERR_STOPPED, "Đã dừng.", "Stopped.") \
	X(SYNC_ERR_NO_USB, "Không thấy USB. Cắm USB vào, chờ vài giây rồi thử lại.", "No USB stick found. Plug one in, wait a few seconds and try again.") \
	X(SYNC_ERR_NO_ANSWER, "Trên USB không có tệp trả lời của máy chủ cho máy này.", "No answer from the server for this kiosk on the USB stick.") \
	X(PIN_WRONG_LEFT, "Mã PIN không đúng. Còn %d lần thử.", "Wrong PIN. %d tries left.") \
	X(PIN_LOCKED, "Nhập sai quá nhiều lần. Thử lại sau %d giây.", "Too many wrong PINs. Try again in %d seconds.") \
	X(HOME_RATE, "Giải quyết đúng hạn năm %d: %lld%%", "Resolved on time in %d: %lld%%") \
	X(CONFERENCE, "Hội nghị đối thoại tiếp theo: %s, tại %s. Lãnh đạo dự: %s. Chủ đề: %s", "Next dialogue conference: %s, at %s. Leaders attending: %s. Topic: %s") \
	X(CONFERENCE_SHORT, "Hội nghị tới: %s", "Next conference: %s") \
	X(STATUS_LATE, "Xin lỗi ông/bà: hồ sơ giải quyết chậm so với hẹn. Ngày hẹn mới: %s.", "We apologise: your request is late. New appointment date: %s.") \
	X(OFFICE_LEVEL, "cấp trên", "upstream office") \
	X(SYNC_LAST, "Đồng bộ lần cuối: %s", "Last synced %s") \
	X(SYNC_NEVER, "Chưa đồng bộ lần nào", "Not synced yet") \
	X(SYNC_FAILED, "lần gần nhất không kết nối được với %s", "the last try could not reach the %s") \
	X(SYNC_FAILED_SHORT, "lần gần nhất không kết nối được", "the last try failed") \
	X(SYNC_PENDING, "%lld hồ sơ chờ gửi", "%lld waiting to be sent") \
	X(STATUS_UPDATED, "Cập nhật từ %s lúc %s", "Updated from the %s at %s") \
	X(STATUS_NO_UPDATE, "Chưa có cập nhật từ %s", "No update from the %s yet") \
	X(KEY_SPACE, "dấu cách", "space") \
	X(KEY_NEXT, "Mục sau", "Next") \
	X(KEY_SHIFT, "Chữ hoa", "Shift") \
	X(KEY_DELETE, "Xóa", "Delete")

typedef enum {
#define I18N_ENUM(id, vi, en) T_##id,
	I18N_TEXTS(I18N_ENUM)
#undef I18N_ENUM
	T_COUNT
} i18n_id;

/* The text in language l; static storage. */
const char *i18n(lang l, i18n_id id);

#endif
