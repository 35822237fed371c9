"""A citizen on Telegram, through aiogram over real HTTP against the fake Bot API server."""

from __future__ import annotations

from sqlalchemy import select

from bot.app import Application
from bot.config import AppConfig
from bot.domain.clock import FixedClock
from bot.domain.model import Citizen, Ticket
from storage import orm
from tests.fakes.telegram_server import FakeTelegramServer
from tests.support.product import product_settings, running_product
from tests.support.telegram_user import TelegramUser

POTHOLE = "Đường Lê Duẩn có ổ gà lớn, xe máy dễ ngã <nguy hiểm> & tối."


async def tickets_of(app: Application) -> list[Ticket]:
    async with app.deps.uow() as uow:
        assert uow.session is not None  # type: ignore[attr-defined]
        result = await uow.session.execute(select(Ticket).order_by(orm.tickets.c.id))  # type: ignore[attr-defined]
        return list(result.scalars())


async def start_kind(citizen: TelegramUser, menu_label: str) -> None:
    citizen.say("/start")
    menu = await citizen.expect("Bạn muốn làm gì")
    assert "Nghe dân nói" in menu["text"]  # the greeting travels with the menu
    citizen.press(menu_label)


async def pick(citizen: TelegramUser, step: int, label: str) -> None:
    await citizen.expect(f"Bước {step}/7")
    citizen.press(label)


async def test_file_an_anonymous_phan_anh(
    telegram: FakeTelegramServer, product: Application
) -> None:
    lan = TelegramUser(telegram, "Lan")
    await start_kind(lan, "phản ánh")
    await pick(lan, 2, "Hạ tầng")
    await pick(lan, 3, "Hải Châu")
    await lan.expect("Bước 4/7")
    lan.say(POTHOLE)
    await pick(lan, 5, "bỏ qua")
    await pick(lan, 6, "ẩn danh")
    summary = await lan.expect("Bước 7/7")
    assert "<nguy hiểm>" in summary["text"]  # escaped on the way, shown as typed
    lan.press("Gửi")
    done = await lan.expect("PA26-00001")
    assert "UBND Phường Hải Châu" in done["text"] and "01/12/2026" in done["text"]
    [ticket] = await tickets_of(product)
    assert ticket.anonymous and ticket.petitioner_name is None and ticket.description == POTHOLE


async def test_kien_nghi_with_shared_contact(
    telegram: FakeTelegramServer, product: Application
) -> None:
    hung = TelegramUser(telegram, "Hùng")
    await start_kind(hung, "kiến nghị")
    await pick(hung, 2, "Giáo dục")
    await pick(hung, 3, "Sơn Trà")
    await hung.expect("Bước 4/7")
    hung.say("Đề nghị mở thêm lớp học buổi chiều cho trường tiểu học.")
    await hung.expect("Bước 5/7")
    hung.send_photo("Sân trường")
    await hung.expect("Đã nhận ảnh (1/5)")
    await pick(hung, 5, "Xong")
    await pick(hung, 6, "Để lại thông tin")
    await hung.expect("Họ và tên")
    hung.say("Trần Văn Hùng")
    await hung.expect("Địa chỉ")
    hung.press("Bỏ qua")
    await hung.expect("Số điện thoại")
    keyboards = [
        call.params["reply_markup"].get("keyboard")
        for call in telegram.calls("sendMessage")
        if isinstance(call.params.get("reply_markup"), dict)
    ]
    assert any(k and k[0][0].get("request_contact") for k in keyboards)
    hung.share_contact("+84905123456")
    await hung.expect("0905 123 456")
    await pick(hung, 6, "Tôi đồng ý")
    summary = await hung.expect("Bước 7/7")
    assert "Trần Văn Hùng" in summary["text"] and "Ảnh" not in summary["text"]
    hung.press("Gửi")
    await hung.expect("KG26-00001")
    [ticket] = await tickets_of(product)
    assert ticket.petitioner_phone == "+84905123456" and len(ticket.attachments) == 1
    async with product.deps.uow() as uow:
        citizen = await uow.citizens.by_external("telegram", str(hung.id))
    assert isinstance(citizen, Citizen) and citizen.consent_at is not None


async def test_khieu_nai_requires_identity_and_refuses_a_bad_phone(
    telegram: FakeTelegramServer, product: Application
) -> None:
    mai = TelegramUser(telegram, "Mai")
    mai.say("/start kn")
    first = await mai.expect("Bước 2/7")
    assert "từng bước" in first["text"]  # the introduction opens the first question
    mai.press("Đất đai")
    await pick(mai, 3, "Hòa Vang")
    await mai.expect("Bước 4/7")
    mai.say("Tôi khiếu nại Quyết định thu hồi đất số 45/QĐ-UBND vì bồi thường thấp.")
    await pick(mai, 5, "bỏ qua")
    await mai.expect("Luật Khiếu nại")  # identity is required, no anonymous choice
    mai.say("Nguyễn Thị Mai")
    await mai.expect("Địa chỉ")
    mai.say("Thôn 3, xã Hòa Vang")
    await mai.expect("Số điện thoại")
    mai.say("12345")
    await mai.expect("chưa đúng")
    mai.say("0935 111 222")
    await pick(mai, 6, "Tôi đồng ý")
    summary = await mai.expect("Bước 7/7")
    assert "ký đơn" in summary["text"]  # the honest note about signing (DOMAIN.md §3)
    mai.press("Gửi")
    done = await mai.expect("KN26-00001")
    assert "Sở Nông nghiệp và Môi trường" in done["text"]


async def test_khieu_nai_without_consent_cannot_be_filed(
    telegram: FakeTelegramServer, product: Application
) -> None:
    an = TelegramUser(telegram, "An")
    an.say("/start kn")
    await pick(an, 2, "Đất đai")
    await pick(an, 3, "Hòa Vang")
    await an.expect("Bước 4/7")
    an.say("Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất sai diện tích.")
    await pick(an, 5, "bỏ qua")
    await an.expect("Họ và tên")
    an.say("Lê Văn An")
    await an.expect("Địa chỉ")
    an.say("12 Trần Phú")
    await an.expect("Số điện thoại")
    an.say("0905111222")
    await pick(an, 6, "Không đồng ý")
    await an.expect("không thể gửi ẩn danh")
    await an.expect("Bước 1/7")
    assert await tickets_of(product) == []
    async with product.deps.uow() as uow:
        citizen = await uow.citizens.by_external("telegram", str(an.id))
    assert citizen is not None and citizen.name is None and citizen.phone is None


async def test_to_cao_anonymous_is_a_report_and_identified_is_confidential(
    telegram: FakeTelegramServer, product: Application
) -> None:
    binh = TelegramUser(telegram, "Bình")
    binh.say("/start tc")
    await pick(binh, 2, "Thủ tục")
    await pick(binh, 3, "Thanh Khê")
    await binh.expect("Bước 4/7")
    binh.say("Cán bộ một cửa phường đòi tiền mới nhận hồ sơ đăng ký kinh doanh.")
    await pick(binh, 5, "bỏ qua")
    ask = await binh.expect("giữ bí mật")
    assert "thông tin để kiểm tra" in ask["text"]
    binh.press("Gửi nặc danh")
    await pick(binh, 7, "Gửi")
    await binh.expect("TC26-00001")
    await binh.expect("thông tin nặc danh")
    [ticket] = await tickets_of(product)
    assert ticket.report_only and ticket.unit_id == "thanh-tra"


async def test_back_edit_and_cancel(telegram: FakeTelegramServer, product: Application) -> None:
    hoa = TelegramUser(telegram, "Hoa")
    await start_kind(hoa, "phản ánh")
    await pick(hoa, 2, "Môi trường")
    await hoa.expect("Bước 3/7")
    hoa.press("Quay lại")
    await pick(hoa, 2, "Hạ tầng")
    await pick(hoa, 3, "Hải Châu")
    await hoa.expect("Bước 4/7")
    hoa.say("Cống thoát nước bị tắc, nước tràn ra đường mỗi khi mưa.")
    await pick(hoa, 5, "bỏ qua")
    await pick(hoa, 6, "ẩn danh")
    await pick(hoa, 7, "Sửa")
    await hoa.expect("sửa phần nào")
    hoa.press("Nội dung")
    await hoa.expect("Bước 4/7")
    hoa.say("Cống thoát nước đường Bạch Đằng bị tắc, nước tràn mỗi khi mưa.")
    summary = await hoa.expect("Bước 7/7")
    assert "Bạch Đằng" in summary["text"] and "Hạ tầng" in summary["text"]
    hoa.press("Hủy")
    await hoa.expect("Đã hủy")
    assert await tickets_of(product) == []


async def test_refusals_keep_the_citizen_on_the_step(
    telegram: FakeTelegramServer, product: Application
) -> None:
    tam = TelegramUser(telegram, "Tâm")
    await start_kind(tam, "phản ánh")
    await pick(tam, 2, "Hạ tầng")
    await pick(tam, 3, "Hải Châu")
    await tam.expect("Bước 4/7")
    tam.say("ổ gà")
    await tam.expect("hơi ngắn")
    tam.say("x" * 4001)
    refused = await tam.expect("vượt quá giới hạn 4.000")
    assert "4.001" in refused["text"]
    tam.say("Vỉa hè bị lấn chiếm làm bãi giữ xe, người đi bộ phải xuống lòng đường.")
    await tam.expect("Bước 5/7")
    for n in range(1, 6):
        tam.send_photo()
        await tam.expect(f"Đã nhận ảnh ({n}/5)")
    tam.send_photo()
    await tam.expect("Đã đủ 5 tệp")
    await pick(tam, 5, "Xong")
    await pick(tam, 6, "ẩn danh")
    await pick(tam, 7, "Gửi")
    await tam.expect("PA26-00001")
    [ticket] = await tickets_of(product)
    assert len(ticket.attachments) == 5


async def test_consent_refused_sends_anonymously(
    telegram: FakeTelegramServer, product: Application
) -> None:
    son = TelegramUser(telegram, "Sơn")
    await start_kind(son, "phản ánh")
    await pick(son, 2, "Môi trường")
    await pick(son, 3, "Ngũ Hành Sơn")
    await son.expect("Bước 4/7")
    son.say("Bãi rác tự phát ở cuối kiệt 12 bốc mùi cả tuần nay.")
    await pick(son, 5, "bỏ qua")
    await pick(son, 6, "Để lại thông tin")
    await son.expect("Họ và tên")
    son.say("Phạm Sơn")
    await son.expect("Địa chỉ")
    son.press("Bỏ qua")
    await son.expect("Số điện thoại")
    son.say("0911000111")
    await pick(son, 6, "Không đồng ý")
    await son.expect("không được lưu")
    summary = await son.expect("Bước 7/7")
    assert "Phạm Sơn" not in summary["text"]
    son.press("Gửi")
    await son.expect("PA26-00001")
    [ticket] = await tickets_of(product)
    assert ticket.anonymous and ticket.petitioner_phone is None


async def test_status_for_the_owner_only(
    telegram: FakeTelegramServer, product: Application
) -> None:
    owner = TelegramUser(telegram, "Chủ")
    await start_kind(owner, "phản ánh")
    await pick(owner, 2, "Hạ tầng")
    await pick(owner, 3, "Hải Châu")
    await owner.expect("Bước 4/7")
    owner.say(POTHOLE)
    await pick(owner, 5, "bỏ qua")
    await pick(owner, 6, "ẩn danh")
    await pick(owner, 7, "Gửi")
    await owner.expect("PA26-00001")
    owner.say("/status pa26-00001")
    status = await owner.expect("Tình trạng")
    assert "UBND Phường Hải Châu" in status["text"]
    owner.say("cho hỏi hồ sơ PA26-00001 thế nào rồi")
    await owner.expect("Tình trạng")
    owner.say("/my")
    mine = await owner.expect("Hồ sơ của bạn")
    assert "PA26-00001" in mine["text"]
    stranger = TelegramUser(telegram, "Lạ")
    stranger.say("/status PA26-00001")
    answer = await stranger.expect("Không tìm thấy")
    assert "Hải Châu" not in answer["text"]


async def test_stale_button_changes_nothing(
    telegram: FakeTelegramServer, product: Application
) -> None:
    vy = TelegramUser(telegram, "Vy")
    await start_kind(vy, "phản ánh")
    old_step = await vy.expect("Bước 2/7")
    vy.press("Hạ tầng")
    await vy.expect("Bước 3/7")
    vy.press("Môi trường", old_step)
    await vy.expect("Bước này đã qua")
    current = await vy.expect("Bước 3/7")
    vy.press("Hải Châu", current)
    await vy.expect("Bước 4/7")
    async with product.deps.uow() as uow:
        state = await uow.conversations.load("telegram", str(vy.id))
    assert state is not None and state.payload["intake"]["category"] == "ha-tang"


async def test_restart_in_the_middle_of_intake(
    telegram: FakeTelegramServer,
    clean_database: str,
    app_config: AppConfig,
    clock: FixedClock,
    framework: str,
) -> None:
    settings = product_settings(telegram, clean_database, telegram_framework=framework)
    quan = TelegramUser(telegram, "Quân")
    async with running_product(settings, app_config, clock=clock):
        await start_kind(quan, "phản ánh")
        await pick(quan, 2, "Hạ tầng")
        await quan.expect("Bước 3/7")
    async with running_product(settings, app_config, clock=clock) as again:
        quan.press("Sơn Trà")
        await quan.expect("Bước 4/7")
        quan.say("Đèn đường kiệt 45 Ngô Quyền hỏng cả tháng nay, rất tối.")
        await pick(quan, 5, "bỏ qua")
        await pick(quan, 6, "ẩn danh")
        await pick(quan, 7, "Gửi")
        await quan.expect("PA26-00001")
        [ticket] = await tickets_of(again)
        assert (ticket.category, ticket.commune) == ("ha-tang", "son-tra")


async def test_location_language_cancel_and_the_menu(
    telegram: FakeTelegramServer, product: Application
) -> None:
    kim = TelegramUser(telegram, "Kim")
    kim.say("Xin chào, cho tôi hỏi cách gửi phản ánh về rác thải ở chợ.")
    kept = await kim.expect("đã ghi lại nội dung")
    assert "Bạn muốn làm gì" in (await kim.expect("Bạn muốn làm gì"))["text"]
    assert kept
    kim.press("phản ánh")
    await kim.expect("Bước 2/7")
    categories = kim.buttons()
    assert "(gợi ý)" in categories[0] and "Môi trường" in categories[0]
    kim.press("Môi trường")
    await kim.expect("Bước 3/7")
    telegram.send_location(kim.user, kim.chat, latitude=16.0671, longitude=108.2190)
    located = await kim.expect("Vị trí bạn gửi thuộc")
    assert "Hải Châu" in located["text"]
    await kim.expect("Bước 5/7")  # the description came first, so step 4 is skipped
    kim.say("/cancel")
    await kim.expect("Đã hủy")
    await kim.expect("Bạn muốn làm gì")
    kim.say("/language")
    await kim.expect("Choose your language")
    kim.press("English")
    await kim.expect("Switched to English")
    menu = await kim.expect("What would you like to do")
    assert any("report" in label.lower() for label in kim.buttons(menu))
    kim.say("/foo")
    await kim.expect("I do not know this command")
