"""Generate the bundled example portfolio: three fictional projects, English and Norwegian, each
with an application, a progress report and an evaluation, as PDF (fpdf2, DejaVu font shipped with
matplotlib) and DOCX (python-docx). All text is invented for this example.

Run: ``python examples/make_portfolio.py`` (writes examples/portfolio/ and its manifest.csv).
The generated files are committed, so the README's demo needs no generation step.
"""

from __future__ import annotations

import csv
from pathlib import Path

OUT = Path(__file__).resolve().parent / "portfolio"

# Each document: (project, file name, doc_type, year, blocks). Blocks: ("h", heading),
# ("p", paragraph), ("b", [bullet items]), ("f", label, value), ("n", footnote text).
PROJECTS = {
    "P1": {"partner": "Balkan Safe Migration Network", "country": "Serbia", "amount": 4200000},
    "P2": {"partner": "Kirkens Trygg Retur", "country": "Nigeria", "amount": 3100000},
    "P3": {"partner": "Community Shelter Alliance", "country": "Moldova", "amount": 2600000},
}

DOCUMENTS = [
    ("P1", "P1_application_2021.pdf", "application", 2021, [
        ("h", "Safe Migration for Young People in the Western Balkans"),
        ("h", "1. Background"),
        ("p", "Young people from rural municipalities in Serbia and Bosnia and Herzegovina face high unemployment, "
              "and many consider irregular migration. Recruiters offering jobs abroad are a common entry point to "
              "trafficking for labour exploitation.¹"),
        ("h", "2. Objectives"),
        ("f", "Overall goal", "Reduced trafficking in human beings among young people in the Western Balkans."),
        ("f", "Outcome 1", "Young people in 12 target municipalities make informed decisions about migration and "
                           "recognise fraudulent recruitment."),
        ("f", "Outcome 2", "Police and social services identify and refer victims of trafficking to assistance."),
        ("h", "3. Expected outputs"),
        ("b", ["Output 1.1: 2,400 young people trained in safe migration and labour rights.",
               "Output 1.2: A mobile information app on legal job offers developed and launched.",
               "Output 2.1: 150 police officers and social workers trained in victim identification.",
               "Output 2.2: A referral protocol signed by police and social services in each municipality."]),
        ("h", "4. Activities"),
        ("b", ["Training of youth peer educators in 12 municipalities.",
               "Conduct awareness sessions in secondary schools and youth centres.",
               "Organise joint workshops for police officers and social workers.",
               "Operation of a free helpline for young jobseekers."]),
        ("h", "5. Indicators"),
        ("b", ["% of trained young people who can name three signs of fraudulent recruitment (baseline 2021: 18 %, "
               "target 2024: 60 %).",
               "Number of presumed victims referred to assistance by police or social services (baseline: 9 per "
               "year; target: 40 per year by 2024).",
               "Number of young people reached by the app (target: 10,000)."]),
        ("n", "¹ Regional labour migration survey, 2020."),
    ]),
    ("P1", "P1_progress_report_2022.pdf", "progress_report", 2022, [
        ("h", "Annual Progress Report 2022 - Safe Migration for Young People"),
        ("h", "1. Summary"),
        ("p", "During the reporting period the project held 86 awareness sessions in 31 schools and trained 64 peer "
              "educators. Workshops for police and social workers were organised in eight municipalities."),
        ("h", "2. Activities carried out"),
        ("b", ["Training of 64 peer educators in safe migration.",
               "86 awareness sessions held in secondary schools.",
               "Eight joint workshops for police and social workers organised.",
               "The helpline operated five days a week."]),
        ("h", "3. Results"),
        ("p", "1,350 young people completed the safe migration course. The mobile app was launched in October and "
              "had 2,100 users by December. 96 police officers and social workers were trained in victim "
              "identification. The referral protocol was not signed in four municipalities because local "
              "elections delayed decisions."),
        ("p", "Police in three municipalities now refer presumed victims to the shelter instead of treating them "
              "as irregular migrants. Referrals rose from 9 in 2021 to 17 in 2022."),
        ("h", "4. Challenges"),
        ("p", "Turnover among school staff made it difficult to schedule sessions. The survey of knowledge among "
              "trained young people was postponed to 2023."),
    ]),
    ("P1", "P1_evaluation_2024.pdf", "evaluation", 2024, [
        ("h", "Final Evaluation of the Safe Migration Project"),
        ("h", "1. Methodology"),
        ("p", "The evaluation team reviewed project documents, interviewed 38 stakeholders and ran a survey of 412 "
              "former participants."),
        ("h", "2. Findings"),
        ("p", "The share of participants who could name three signs of fraudulent recruitment rose from 18 % at "
              "baseline to 52 % in 2024, below the target of 60 %. Referrals of presumed victims by police and "
              "social services reached 31 in 2023."),
        ("p", "Progress reports described activities in detail but reported little on changes among young people. "
              "Indicators for the helpline had no baseline."),
        ("h", "3. Lessons learned"),
        ("b", ["Joint training of police and social workers proved more effective than separate courses: "
               "referrals rose only where both attended together.",
               "Peer educators from the same municipality reached young people that teachers did not reach.",
               "Experience shows that referral protocols need the support of municipal leadership before elections."]),
        ("h", "4. Recommendations"),
        ("b", ["The project should continue joint training and extend it to labour inspectors.",
               "Progress reports should report on outcome indicators every year, not only on activities.",
               "The ministry should fund the helpline after the project ends to secure sustainability."]),
    ]),
    ("P2", "P2_soknad_2021.docx", "application", 2021, [
        ("h", "Trygg retur og reintegrering av ofre for menneskehandel"),
        ("h", "Bakgrunn"),
        ("p", "Mange kvinner som returnerer fra Europa til Edo State i Nigeria etter å ha vært utsatt for "
              "menneskehandel, mangler inntekt og blir stigmatisert i lokalsamfunnet."),
        ("h", "Mål"),
        ("f", "Overordnet mål", "Bidra til å redusere menneskehandel med kvinner fra Edo State."),
        ("f", "Delmål 1", "Returnerte kvinner har stabil inntekt og er sosialt integrert ett år etter retur."),
        ("f", "Delmål 2", "Lokalsamfunn og religiøse ledere møter returnerte kvinner uten stigma."),
        ("f", "Målgruppe", "Kvinner og jenter over 16 år som returnerer til Edo State."),
        ("h", "Forventede resultater"),
        ("b", ["300 kvinner har fått yrkesopplæring og startkapital.",
               "Et krisesenter med 20 plasser er etablert i Benin City.",
               "40 religiøse ledere har deltatt i dialogmøter om stigma."]),
        ("h", "Aktiviteter"),
        ("b", ["Drift av krisesenter.",
               "Yrkesopplæring og utdeling av startkapital.",
               "Dialogmøter med religiøse ledere og lokalsamfunn.",
               "Psykososial oppfølging av returnerte kvinner."]),
        ("h", "Indikatorer"),
        ("b", ["Andel kvinner med egen inntekt ett år etter retur (utgangspunkt: 10 %, målverdi 2024: 60 %).",
               "Antall kvinner som har fått startkapital (målverdi: 300)."]),
    ]),
    ("P2", "P2_fremdriftsrapport_2022.docx", "progress_report", 2022, [
        ("h", "Fremdriftsrapport 2022 – Trygg retur"),
        ("h", "Gjennomførte aktiviteter"),
        ("b", ["Krisesenteret i Benin City ble åpnet i mars og har vært i drift hele året.",
               "Det ble holdt 12 kurs i søm, frisør og matproduksjon.",
               "Det ble gjennomført 18 dialogmøter med religiøse ledere."]),
        ("h", "Resultater"),
        ("p", "142 kvinner har fått yrkesopplæring, og 95 av dem har mottatt startkapital. Krisesenteret har tatt "
              "imot 61 kvinner. Flere religiøse ledere tar nå imot returnerte kvinner i menighetene sine."),
        ("p", "Vi har ikke nådd målet om 150 kvinner i 2022 fordi utbetalingene fra banken ble forsinket."),
        ("h", "Utfordringer og erfaringer"),
        ("p", "Erfaringen viser at startkapital alene ikke gir stabil inntekt uten oppfølging de første månedene."),
    ]),
    ("P2", "P2_evaluering_2024.docx", "evaluation", 2024, [
        ("h", "Sluttevaluering av prosjektet Trygg retur"),
        ("h", "Metode"),
        ("p", "Evalueringen bygger på intervjuer med 46 kvinner, ansatte og religiøse ledere, samt gjennomgang av "
              "søknader og rapporter."),
        ("h", "Funn"),
        ("p", "Andelen kvinner med egen inntekt ett år etter retur økte fra 10 % til 47 %. Rapportene fra partneren "
              "var i stor grad aktivitetsfokuserte og manglet utgangsverdier for flere indikatorer."),
        ("h", "Læring og erfaringer"),
        ("b", ["Det har vist seg at oppfølging fra en fast kontaktperson er avgjørende for at kvinnene lykkes med "
               "egen virksomhet.",
               "Samarbeid med religiøse ledere reduserte stigma raskere enn informasjonskampanjer.",
               "Ettårig finansiering gjorde det vanskelig å planlegge langsiktig oppfølging."]),
        ("h", "Anbefalinger"),
        ("b", ["Prosjektet bør videreføres med flerårig finansiering.",
               "Partneren bør rapportere på delmålene hvert år, ikke bare på aktiviteter.",
               "Norad bør kreve utgangsverdier for alle indikatorer i nye søknader."]),
    ]),
    ("P3", "P3_application_2022.docx", "application", 2022, [
        ("h", "Community Shelter Network - Application"),
        ("h", "Problem analysis"),
        ("p", "Victims of trafficking returning to rural Moldova often have nowhere safe to stay, and local "
              "authorities lack procedures for their protection."),
        ("h", "Objectives"),
        ("f", "Overall objective", "Improved protection of victims of trafficking in rural Moldova."),
        ("f", "Specific objective", "District authorities provide safe accommodation and case management to "
                                    "identified victims."),
        ("h", "Activities"),
        ("b", ["Establish three community shelters in partnership with district councils.",
               "Train 60 case managers in trauma-informed care.",
               "Develop a district protocol for case management."]),
        ("h", "Indicators"),
        ("b", ["Number of victims accommodated in community shelters (target: 120 by 2025).",
               "Number of districts that fund shelter staff from their own budget (baseline 0, target 3)."]),
    ]),
    ("P3", "P3_progress_report_2023.pdf", "progress_report", 2023, [
        ("h", "Progress Report 2023 - Community Shelter Network"),
        ("h", "Activities"),
        ("b", ["Two community shelters were established in Cahul and Soroca.",
               "Training sessions for case managers were held in four districts.",
               "Meetings with district councils were organised every quarter."]),
        ("h", "Results"),
        ("p", "The shelters accommodated 47 victims in 2023. 38 case managers completed the training. The third "
              "shelter was not opened because the district council did not allocate premises."),
        ("p", "Cahul district council now funds two shelter staff positions from its own budget."),
    ]),
    ("P3", "P3_evaluering_2025.docx", "evaluation", 2025, [
        ("h", "Midtveisgjennomgang av Community Shelter Network"),
        ("h", "Funn"),
        ("p", "Gjennomgangen fant at krisesentrene har gitt trygt botilbud til 92 ofre siden 2023. Kun ett av tre "
              "distrikter finansierer ansatte over eget budsjett."),
        ("h", "Læring og erfaringer"),
        ("b", ["Erfaringen viser at distriktsrådene tar eierskap når de bidrar med lokaler fra starten.",
               "Opplæring av saksbehandlere ga bedre oppfølging av ofrene enn forventet."]),
        ("h", "Anbefalinger"),
        ("b", ["Prosjektet bør inngå avtaler om lokaler med distriktsrådene før nye sentre etableres.",
               "Det anbefales å innføre en felles indikator for reintegrering på tvers av sentrene."]),
    ]),
]


def _font_path() -> str:
    import matplotlib

    return str(Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf")


def write_pdf(path: Path, blocks) -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_creation_date(__import__("datetime").datetime(2025, 1, 1))  # reproducible bytes
    pdf.add_font("DejaVu", "", _font_path())
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin
    footnotes = []
    for block in blocks:
        kind = block[0]
        pdf.set_x(pdf.l_margin)
        if kind == "h":
            pdf.set_font("DejaVu", size=13)
            pdf.ln(3)
            pdf.multi_cell(width, 7, block[1])
            pdf.ln(1)
        elif kind == "p":
            pdf.set_font("DejaVu", size=10.5)
            pdf.multi_cell(width, 5.5, block[1])
            pdf.ln(2)
        elif kind == "b":
            pdf.set_font("DejaVu", size=10.5)
            for item in block[1]:
                pdf.set_x(pdf.l_margin)
                pdf.multi_cell(width, 5.5, f"•  {item}")
            pdf.ln(2)
        elif kind == "f":
            pdf.set_font("DejaVu", size=10.5)
            pdf.multi_cell(width, 5.5, f"{block[1]}: {block[2]}")
            pdf.ln(1)
        elif kind == "n":
            footnotes.append(block[1])
    if footnotes:
        pdf.set_font("DejaVu", size=8)
        pdf.set_y(-35)
        for note in footnotes:
            pdf.set_x(pdf.l_margin)
            pdf.multi_cell(width, 4, note)
    pdf.output(str(path))


def write_docx(path: Path, blocks) -> None:
    import docx

    document = docx.Document()
    document.core_properties.created = __import__("datetime").datetime(2025, 1, 1)
    first = True
    for block in blocks:
        kind = block[0]
        if kind == "h":
            document.add_heading(block[1], level=0 if first else 1)
            first = False
        elif kind == "p":
            document.add_paragraph(block[1])
        elif kind == "b":
            for item in block[1]:
                document.add_paragraph(item, style="List Bullet")
        elif kind == "f":
            document.add_paragraph(f"{block[1]}: {block[2]}")
        elif kind == "n":
            document.add_paragraph(block[1])
    document.save(str(path))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rows = []
    for project, name, doc_type, year, blocks in DOCUMENTS:
        path = OUT / name
        (write_pdf if name.endswith(".pdf") else write_docx)(path, blocks)
        rows.append({"path": name, "project_id": project, "doc_type": doc_type, "year": year, **PROJECTS[project]})
    with (OUT / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} documents and manifest.csv to {OUT}")


if __name__ == "__main__":
    main()
