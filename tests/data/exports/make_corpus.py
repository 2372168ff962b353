"""Writes the export corpus beside this file: one small file per help desk, billing system and awkward form, and
``manifest.json`` saying what each must read as. Every file is generated here (fixed seeds), so it may be kept in
the project; real public data sets stay in ``../shared/data`` and are read from there by the tests.

Run ``python -m tests.data.exports.make_corpus`` from the project root after changing it, and commit the files.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

HERE = Path(__file__).resolve().parent
N = 120


def _tickets(seed: int, n: int = N) -> pd.DataFrame:
    """The facts every ticket export below writes in its own way."""
    rng = np.random.default_rng(seed)
    created = pd.Timestamp("2024-03-01") + pd.to_timedelta(rng.integers(0, 60 * 24 * 60, n), unit="min")
    frt_min = np.round(rng.lognormal(np.log(90), 1.0, n))
    res_min = frt_min + np.round(rng.lognormal(np.log(600), 0.8, n))
    return pd.DataFrame({"n": np.arange(n), "created": created,
                         "first_reply": created + pd.to_timedelta(frt_min, unit="min"),
                         "solved": created + pd.to_timedelta(res_min, unit="min"), "frt_min": frt_min,
                         "res_min": res_min, "channel": rng.choice(["email", "chat", "phone"], n),
                         "good": rng.random(n) < 0.8, "rated": rng.random(n) < 0.4,
                         "agent": rng.choice(["Ines", "Tomas", "Wiebke"], n), "customer": rng.integers(100, 160, n)})


def _csv(frame: pd.DataFrame, **kwargs) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n", **kwargs).encode(kwargs.pop("encoding", "utf-8"))


def _hms(minutes: pd.Series) -> pd.Series:
    m = minutes.astype(int)
    return (m // 60).astype(str) + ":" + (m % 60).map("{:02d}".format) + ":00"


def zendesk() -> bytes:
    t = _tickets(1)
    return _csv(pd.DataFrame({
        "Summation column": 1, "Id": 5000 + t.n, "Requester": "x", "Requester id": t.customer, "Assignee": t.agent,
        "Via": t.channel.map({"email": "Mail", "chat": "Chat", "phone": "Voice"}),
        "Created at": t.created.dt.strftime("%Y-%m-%d %H:%M:%S"), "Solved at": t.solved.dt.strftime("%Y-%m-%d %H:%M:%S"),
        "Satisfaction Score": np.where(t.rated, np.where(t.good, "Good", "Bad"), "Unoffered"),
        "Replies": 1 + t.n % 4, "First reply time in minutes": t.frt_min.astype(int),
        "First reply time in minutes within business hours": 0, "Full resolution time in minutes": t.res_min.astype(int)}))


def freshdesk() -> bytes:
    t = _tickets(2)
    return _csv(pd.DataFrame({
        "Ticket ID": t.n + 1, "Subject": "Login", "Status": "Closed", "Source": t.channel.str.title(), "Agent": t.agent,
        "Created time": t.created.dt.strftime("%Y-%m-%d %H:%M:%S"),
        "Resolved time": t.solved.dt.strftime("%Y-%m-%d %H:%M:%S"),
        "First response time (in hrs)": (t.frt_min / 60).round(2), "Agent interactions": 1 + t.n % 5, "Contact ID": t.customer,
        "Survey results": np.where(t.rated, np.where(t.good, "Awesome", "Not Good"), "")}))


def help_scout() -> bytes:
    t = _tickets(3)
    return _csv(pd.DataFrame({
        "Conversation ID": 900000 + t.n, "Conversation Number": t.n + 1, "Type": t.channel, "Mailbox": "Support",
        "Customer Email": "c" + t.customer.astype(str) + "@example.org", "Assigned To": t.agent,
        "Created At": t.created.dt.strftime("%Y-%m-%dT%H:%M:%SZ"), "Closed At": t.solved.dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "Happiness Rating": np.where(t.rated, np.where(t.good, "Great", "Not Good"), "")}))


def intercom() -> bytes:
    t = _tickets(4)
    return _csv(pd.DataFrame({
        "Conversation ID": 70000 + t.n, "Conversation started at (Europe/Dublin)": t.created.dt.strftime("%Y-%m-%d %H:%M"),
        "Channel": t.channel.map({"email": "Email", "chat": "Conversation", "phone": "Phone call"}),
        "Teammate currently assigned": t.agent, "First response time (seconds)": (t.frt_min * 60).astype(int),
        "Time to close (seconds)": (t.res_min * 60).astype(int), "User ID": t.customer,
        "Conversation rating": np.where(t.rated, np.where(t.good, "Amazing", "Bad"), "")}))


def servicenow() -> bytes:
    t = _tickets(5)
    return _csv(pd.DataFrame({
        "number": "INC" + (10000 + t.n).astype(str).str.zfill(7), "opened_at": t.created.dt.strftime("%Y-%m-%d %H:%M:%S"),
        "resolved_at": t.solved.dt.strftime("%Y-%m-%d %H:%M:%S"), "closed_at": "",
        "contact_type": t.channel.map({"email": "email", "chat": "chat", "phone": "phone"}), "caller_id": t.customer,
        "assigned_to": t.agent, "assignment_group": "Service Desk", "short_description": "VPN"}))


def jira_service_management() -> bytes:
    t = _tickets(6)
    jira = "%d/%b/%y %I:%M %p"
    return _csv(pd.DataFrame({
        "Summary": "Access request", "Issue key": "ITSM-" + (t.n + 1).astype(str), "Issue id": 10000 + t.n,
        "Issue Type": "Service Request", "Status": "Resolved", "Assignee": t.agent, "Reporter": "r" + t.customer.astype(str),
        "Reporter Id": "qm:" + t.customer.astype(str), "Created": t.created.dt.strftime(jira),
        "Resolved": t.solved.dt.strftime(jira), "Custom field (Request Type)": "Get IT help",
        "Custom field (Source)": t.channel.map({"email": "Email", "chat": "Chat", "phone": "Phone"}),
        "Custom field (Time to first response)": "-02:05", "Custom field (Time to resolution)": "5:00",
        "Satisfaction rating": np.where(t.rated, np.where(t.good, "5", "2"), "")}))


def zoho_desk() -> bytes:
    t = _tickets(7)
    zoho = "%d %b %Y %I:%M %p"
    return _csv(pd.DataFrame({
        "ID": 400000 + t.n, "Request Id": 100 + t.n, "Contact ID": t.customer, "Subject": "Refund", "Status": "Closed",
        "Ticket Owner": t.agent, "Created Time": t.created.dt.strftime(zoho),
        "Ticket Closed Time": t.solved.dt.strftime(zoho), "Channel": t.channel.str.title(), "Number of Threads": 3,
        "Happiness Rating": np.where(t.rated, np.where(t.good, "Good", "Bad"), "")}))


def hubspot() -> bytes:
    t = _tickets(8)
    return _csv(pd.DataFrame({
        "Ticket ID": 3000000 + t.n, "Ticket name": "Billing", "Pipeline": "Support Pipeline", "Ticket status": "Closed",
        "Create date": t.created.dt.strftime("%Y-%m-%d %H:%M"), "Close date": t.solved.dt.strftime("%Y-%m-%d %H:%M"),
        "Source": t.channel.str.upper(), "Ticket owner": t.agent,
        "Time to first agent email reply": _hms(t.frt_min), "Time to close (HH:mm:ss)": _hms(t.res_min),
        "Associated Contact IDs": t.customer}))


def polish_cp1250() -> bytes:
    t = _tickets(9)
    frame = pd.DataFrame({"Nr zgłoszenia": t.n + 1, "Data utworzenia": t.created.dt.strftime("%d.%m.%Y %H:%M"),
                          "Czas pierwszej odpowiedzi (godz.)": (t.frt_min / 60).round(2).map(lambda v: f"{v:.2f}".replace(".", ",")),
                          "Kanał": t.channel.map({"email": "Poczta", "chat": "Czat", "phone": "Telefon"}),
                          "Konsultant": t.agent.replace({"Tomas": "Tomasz Żak"})})
    return frame.to_csv(index=False, sep=";", lineterminator="\r\n").encode("cp1250")


def russian_cp1251() -> bytes:
    t = _tickets(10)
    frame = pd.DataFrame({"Номер заявки": t.n + 1, "Дата создания": t.created.dt.strftime("%d.%m.%Y %H:%M"),
                          "Дата решения": t.solved.dt.strftime("%d.%m.%Y %H:%M"),
                          "Канал": t.channel.map({"email": "Почта", "chat": "Чат", "phone": "Телефон"}),
                          "Оценка": np.where(t.rated, np.where(t.good, "5", "2"), ""), "Оператор": "Ольга"})
    return frame.to_csv(index=False, sep=";").encode("cp1251")


def utf16_tab() -> bytes:
    t = _tickets(11)
    frame = pd.DataFrame({"Ticket ID": t.n + 1, "Created": t.created.dt.strftime("%m/%d/%Y %I:%M %p"),
                          "Channel": t.channel, "CSAT": np.where(t.rated, np.where(t.good, "Good", "Bad"), "")})
    return "\ufeff".encode("utf-16-le") + frame.to_csv(index=False, sep="\t").encode("utf-16-le")


def workbook() -> bytes:
    t = _tickets(12)
    wb = openpyxl.Workbook()
    wb.active.title = "Read me"
    wb.active.append(["Exported from the help desk"])
    ws = wb.create_sheet("Tickets")
    ws.append(["Ticket ID", "Created", "Solved", "Channel", "Rating"])
    for row in t.itertuples():
        ws.append([int(row.n) + 1, row.created.to_pydatetime(), row.solved.to_pydatetime(), row.channel,
                   (5 if row.good else 2) if row.rated else None])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def call_log() -> bytes:
    """A call switch's log: whitespace-separated, YYMMDD dates, the clock in its own column, the call number repeating
    across lines, waits and services in seconds without a unit."""
    rng = np.random.default_rng(13)
    n = N
    day = pd.Timestamp("2024-03-04") + pd.to_timedelta(rng.integers(0, 10, n), unit="D")
    clock = pd.to_timedelta(rng.integers(8 * 3600, 18 * 3600, n), unit="s")
    answered = rng.random(n) < 0.85
    lines = [f"{'line':<7}{'call':>6} {'date':<7}{'entry':>9}{'q_time':>8}{'ser_time':>9} outcome server"]
    for i in range(n):
        stamp = pd.Timestamp(0) + clock[i]
        lines.append(f"{'AB0' + str(1 + i % 2):<7}{1000 + i // 2:>6} {day[i]:%y%m%d} {stamp:%H:%M:%S}"
                     f"{rng.integers(0, 300):>8}{rng.integers(30, 600) if answered[i] else 0:>9} "
                     f"{'AGENT' if answered[i] else 'HANG'}   {'DORIT' if answered[i] else 'NO_SERVER'}")
    return ("\n".join(lines) + "\n").encode("ascii")


CALL_LOG_MAPPING = {"table": "tickets", "columns": {"ticket_id": "line", "created": "date", "wait_h": "q_time",
                                                    "handle_time_h": "ser_time", "abandoned": "outcome", "agent": "server"},
                    "units": {"wait_h": "s", "handle_time_h": "s"}, "paired": {"ticket_id": "call", "created": "entry"}}


def event_log() -> bytes:
    t = _tickets(14, 40)
    rows = []
    for r in t.itertuples():
        rows += [(f"Case {r.n}", "Ticket opened", "system", r.created), (f"Case {r.n}", "Reply sent", r.agent, r.first_reply),
                 (f"Case {r.n}", "Resolve ticket", r.agent, r.solved)]
    frame = pd.DataFrame(rows, columns=["Case ID", "Activity", "Resource", "Complete Timestamp"])
    frame["Complete Timestamp"] = frame["Complete Timestamp"].dt.strftime("%Y/%m/%d %H:%M:%S.000")
    return _csv(frame)


def stripe_subscriptions() -> bytes:
    rng = np.random.default_rng(15)
    start = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 500, 80), unit="D")
    ended = np.where(rng.random(80) < 0.25, (start + pd.Timedelta(days=200)).strftime("%Y-%m-%d %H:%M"), "")
    return _csv(pd.DataFrame({"id": [f"sub_{i:05d}" for i in range(80)], "Customer ID": [f"cus_{i:05d}" for i in range(80)],
                              "Plan": rng.choice(["Team", "Business"], 80), "Amount": 49, "Status": "active",
                              "Start (UTC)": start.strftime("%Y-%m-%d %H:%M"), "Ended At (UTC)": ended}))


def chargebee_subscriptions() -> bytes:
    rng = np.random.default_rng(16)
    start = pd.Timestamp("2022-06-01") + pd.to_timedelta(rng.integers(0, 700, 60), unit="D")
    return _csv(pd.DataFrame({"subscriptions.id": [f"AzZ{i}" for i in range(60)],
                              "subscriptions.customer_id": [f"c{i}" for i in range(60)],
                              "subscriptions.plan_id": "pro-monthly", "subscriptions.mrr": rng.integers(40, 400, 60),
                              "subscriptions.started_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
                              "subscriptions.cancelled_at": ""}))


def order_lines() -> bytes:
    from tests.uploads import purchase_log
    return purchase_log(customers=60, seed=17, sep=" ")[0]


def payments() -> bytes:
    rng = np.random.default_rng(18)
    n = 200
    return _csv(pd.DataFrame({"customer": rng.choice([f"ACME-{i}" for i in range(40)], n),
                              "date": (pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 360, n), unit="D")).strftime("%Y-%m-%d"),
                              "amount": rng.choice(["99.00", "199.00", "-99.00"], n, p=[0.6, 0.35, 0.05])}))


def kpis_english() -> bytes:
    months = pd.period_range("2023-01", periods=18, freq="M")
    rng = np.random.default_rng(19)
    return _csv(pd.DataFrame({"Month": months.strftime("%Y-%m"), "Tickets": rng.integers(900, 1300, 18),
                              "First response time (hours)": rng.uniform(2, 9, 18).round(1),
                              "CSAT": (rng.uniform(78, 92, 18)).round(1).astype(str) + " %",
                              "Customers": 1200 + np.arange(18) * 10, "Churned": rng.integers(10, 30, 18),
                              "MRR": 60000 + np.arange(18) * 500, "Support cost": 42000}))


def kpis_hungarian() -> bytes:
    months = pd.period_range("2024-01", periods=12, freq="M")
    rng = np.random.default_rng(20)
    frame = pd.DataFrame({"Hónap": months.strftime("%Y.%m."), "Jegyek száma": rng.integers(300, 500, 12),
                          "Első válaszidő": [f"{v:.1f}".replace(".", ",") for v in rng.uniform(1, 5, 12)],
                          "Ügyfelek száma": 400 + np.arange(12) * 3})
    return frame.to_csv(index=False, sep=";").encode("utf-8-sig")


def excel_sep_line() -> bytes:
    t = _tickets(21, 50)
    body = pd.DataFrame({"Ticket": t.n + 1, "Created": t.created.dt.strftime("%d/%m/%Y %H:%M"), "Channel": t.channel})
    return b"\xef\xbb\xbfsep=;\r\n" + body.to_csv(index=False, sep=";", lineterminator="\r\n").encode("utf-8")


def epoch_seconds() -> bytes:
    t = _tickets(22, 60)
    epoch = pd.Timestamp("1970-01-01")
    return _csv(pd.DataFrame({"ticket_id": t.n + 1, "created": ((t.created - epoch) // pd.Timedelta(seconds=1)).astype(str),
                              "first_reply": ((t.first_reply - epoch) // pd.Timedelta(seconds=1)).astype(str)}))


FILES = {
    "zendesk_tickets.csv": (zendesk, {"fields": ["first_response_h", "resolution_h", "channel", "rating", "customer_id", "agent", "replies"], "table": "tickets", "kept": N, "vendor": "Zendesk"}),
    "freshdesk_tickets.csv": (freshdesk, {"fields": ["first_response_h", "resolution_h", "channel", "rating", "customer_id", "agent", "replies"], "table": "tickets", "kept": N, "vendor": "Freshdesk"}),
    "helpscout_conversations.csv": (help_scout, {"fields": ["resolution_h", "channel", "rating", "customer_id", "agent"], "table": "tickets", "kept": N, "vendor": "Help Scout"}),
    "intercom_conversations.csv": (intercom, {"fields": ["first_response_h", "resolution_h", "channel", "rating", "customer_id", "agent"], "table": "tickets", "kept": N, "vendor": "Intercom"}),
    "servicenow_incident.csv": (servicenow, {"fields": ["resolution_h", "channel", "customer_id", "agent"], "table": "tickets", "kept": N, "vendor": "ServiceNow"}),
    "jsm_issues.csv": (jira_service_management, {"fields": ["resolution_h", "channel", "rating", "customer_id", "agent"], "table": "tickets", "kept": N, "vendor": "Jira Service Management"}),
    "zoho_desk_cases.csv": (zoho_desk, {"fields": ["resolution_h", "channel", "rating", "customer_id", "agent"], "table": "tickets", "kept": N, "vendor": "Zoho Desk"}),
    "hubspot_tickets.csv": (hubspot, {"fields": ["first_response_h", "resolution_h", "channel", "customer_id", "agent"], "table": "tickets", "kept": N, "vendor": "HubSpot"}),
    "tickets_polish_cp1250.csv": (polish_cp1250, {"fields": ["first_response_h", "channel", "agent"], "table": "tickets", "kept": N}),
    "tickets_russian_cp1251.csv": (russian_cp1251, {"fields": ["resolution_h", "channel", "rating", "agent"], "table": "tickets", "kept": N}),
    "tickets_utf16.tsv": (utf16_tab, {"fields": ["channel", "rating"], "table": "tickets", "kept": N}),
    "tickets_workbook.xlsx": (workbook, {"fields": ["resolution_h", "channel", "rating"], "table": "tickets", "kept": N}),
    "call_log.txt": (call_log, {"fields": ["wait_h", "handle_time_h", "abandoned", "agent"], "table": "tickets", "kept": N, "mapping": "call_log.mapping.json"}),
    "event_log.csv": (event_log, {"fields": ["first_response_h", "resolution_h", "agent"], "table": "tickets", "kept": 40, "event_log": True}),
    "stripe_subscriptions.csv": (stripe_subscriptions, {"fields": ["plan"], "table": "customers", "kept": 80}),
    "chargebee_subscriptions.csv": (chargebee_subscriptions, {"fields": ["mrr", "plan"], "table": "customers", "kept": 60}),
    "order_lines.txt": (order_lines, {"fields": ["mrr"], "table": "customers", "kept": 60, "purchase_log": True}),
    "payments.csv": (payments, {"fields": ["mrr"], "table": "customers", "kept": 40, "purchase_log": True}),
    "kpis_monthly.csv": (kpis_english, {"fields": ["tickets", "first_response_h", "csat_pct", "customers", "churned", "mrr", "support_cost"], "table": "kpis", "kept": 18}),
    "kpis_hungarian.csv": (kpis_hungarian, {"fields": ["tickets", "first_response_h", "customers"], "table": "kpis", "kept": 12}),
    "tickets_excel_sep_line.csv": (excel_sep_line, {"fields": ["channel"], "table": "tickets", "kept": 50}),
    "tickets_epoch_seconds.csv": (epoch_seconds, {"fields": ["first_response_h"], "table": "tickets", "kept": 60}),
}


def main() -> None:
    manifest = {}
    for name, (make, expected) in FILES.items():
        (HERE / name).write_bytes(make())
        manifest[name] = expected
    (HERE / "call_log.mapping.json").write_text(json.dumps(CALL_LOG_MAPPING, indent=1) + "\n", encoding="utf-8")
    (HERE / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{len(manifest)} files written to {HERE}")


if __name__ == "__main__":
    main()
