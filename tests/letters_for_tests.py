"""Small letters written for the tests, one per layout, with known items and decisions."""

FDL_ISSUES = """HOW THE IMR FINAL DETERMINATION WAS MADE

MAXIMUS Federal Services sent the case file to an expert reviewer who is Board Certified in
Physical Medicine and Rehabilitation and licensed in California.

CLINICAL CASE SUMMARY

The worker injured the low back lifting boxes on 3/2/2012. The 6/1/2014 note documents low back
pain radiating to the left leg and a positive straight leg raise on the left.

IMR ISSUES, DECISIONS AND RATIONALES

The Final Determination was based on decisions for the disputed items/services set forth below:

Lumbar epidural steroid injection at L4-5:  Upheld

Claims Administrator guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines, Epidural
steroid injections, page 46.

MAXIMUS guideline: Decision based on MTUS Chronic Pain Medical Treatment Guidelines, page 46.

Decision rationale: Radiculopathy must be documented on examination and corroborated by imaging. No MRI
report is provided. The request is not medically necessary.

Physical therapy 2x4 for the lumbar spine:  Overturned

Claims Administrator guideline: Decision based on MTUS Physical Medicine, page 99.

MAXIMUS guideline: Decision based on MTUS Physical Medicine, page 99.

Decision rationale: The worker has had no therapy for this flare and eight visits fall within the
guideline. The request is medically necessary.
"""

FDL_DECISIONS = """MAXIMUS FEDERAL SERVICES, INC.
Independent Medical Review
P.O. Box 138009
Sacramento, CA 95813-8009

Notice of Independent Medical Review Determination

Dated: 12/20/2013
IMR Case Number: CM13-0045678

Dear Ms. Example:

MAXIMUS Federal Services has completed the Independent Medical Review of the disputed items.

DOCUMENTS REVIEWED
Progress reports from 5/2013 to 10/2013.

CLINICAL CASE SUMMARY
The patient has chronic neck pain after a fall at work and takes Norco daily.

IMR DECISION(S) AND RATIONALE(S)

1. Is the request for Norco 10/325mg #120 medically necessary?

Section of the Medical Treatment Utilization Schedule (MTUS) cited by the Claims Administrator:
MTUS Chronic Pain Medical Treatment Guidelines, Opioids, pages 74-96.

Section of the Medical Treatment Utilization Schedule (MTUS) used by the Expert Reviewer:
MTUS Chronic Pain Medical Treatment Guidelines, Opioids, page 78.

Rationale for the Decision:
There is no documentation of functional improvement and no urine drug screen in the records.
The request for Norco 10/325mg #120 is not medically necessary and appropriate.

2. Is the request for an MRI of the cervical spine medically necessary?

Section of the Medical Treatment Utilization Schedule (MTUS) cited by the Claims Administrator:
ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 8.

Section of the Medical Treatment Utilization Schedule (MTUS) used by the Expert Reviewer:
ACOEM Practice Guidelines, 2nd Edition (2004), Chapter 8, page 177.

Rationale for the Decision:
New weakness of the right triceps with a red flag warrants imaging.
The request for an MRI of the cervical spine is medically necessary and appropriate.

cc: Claims Administrator
/jb
"""

PROFESSIONAL_REVIEW = """Final Determination Letter

MEDICAL PROFESSIONAL REVIEW

ISSUE AT DISPUTE:
1. Retrospective request for Lidoderm 5% patch #30
2. Gym membership for one year

CASE SUMMARY:
The injured worker is a 52-year-old man with chronic low back pain and lumbar radiculopathy.

DOCUMENTS REVIEWED FOR DETERMINATION:
Utilization review determination, progress notes.

MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL REVIEWER AND WHY:
MTUS Chronic Pain Medical Treatment Guidelines, Topical Analgesics; ODG Low Back Chapter, Gym memberships.

RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT MEDICALLY NECESSARY:
Lidoderm is recommended for localized peripheral neuropathic pain after a trial of first-line therapy.
There is no record of a trial of gabapentin or an antidepressant. Therefore, the request for Lidoderm 5%
patch #30 is not medically necessary.

Gym memberships are not recommended unless a home exercise program has failed and there is a need for
equipment. Therefore, the request for a gym membership for one year is not medically necessary.

MEDICAL REVIEWER QUALIFICATIONS:
The reviewer is Board Certified in Anesthesiology with a subspecialty in Pain Medicine.
"""

EXPECTED = {
    "fdl-issues": [("Lumbar epidural steroid injection at L4-5", "upheld"),
                   ("Physical therapy 2x4 for the lumbar spine", "overturned")],
    "fdl-decisions": [("Norco 10/325mg #120", "upheld"), ("MRI of the cervical spine", "overturned")],
    "professional-review": [("Lidoderm 5% patch #30", "upheld"), ("Gym membership for one year", "upheld")],
}
LETTERS = {"fdl-issues": FDL_ISSUES, "fdl-decisions": FDL_DECISIONS, "professional-review": PROFESSIONAL_REVIEW}


def add_pdf_noise(text: str, width: int = 78, every: int = 14, case: str = "CM14-0011223") -> str:
    """Re-wrap ``text`` as a PDF extraction would: broken lines, hyphenation, page footers, curly quotes."""
    out_lines = []
    for paragraph_line in text.split("\n"):
        line = paragraph_line
        while len(line) > width:
            cut = line.rfind(" ", 0, width)
            word_end = line.find(" ", cut + 1)
            word = line[cut + 1: word_end if word_end > 0 else len(line)]
            if word.isalpha() and word.islower() and len(word) >= 8:
                half = len(word) // 2
                out_lines.append(line[: cut + 1 + half] + "-")
                line = line[cut + 1 + half:]
            else:
                out_lines.append(line[:cut] + " ")
                line = line[cut + 1:]
        out_lines.append(line)
    noisy = []
    for number, line in enumerate(out_lines, 1):
        noisy.append(line)
        if number % every == 0:
            page = number // every
            noisy.extend([f"Page {page} of 9", case, ""])
    return "\n".join(noisy).replace("'s ", "\u2019s ")
