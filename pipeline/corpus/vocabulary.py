"""Curated clinical lexicons for the training-letter generator, kept as Python data.

Everything a generated letter names comes from here: body regions with their
conditions and findings (so a case summary stays coherent: a lumbar case gets
lumbar diagnoses, lumbar exam signs and a lumbar MRI), the disputed services with
the guideline chapters that govern them, and the small vocabularies of letter
boilerplate (specialties, states, documents, occupations).

Conventions that keep the generated spans true to ``taxonomy.md`` section 5:
* ``conditions`` are diagnoses or reported symptoms (CONDITION spans);
* ``exam``/``normal``/``imaging`` are documented findings (FINDING spans, never
  negated: "negative straight leg raise" is a finding);
* ``required_signs``/``required_tests`` are findings a guideline asks for; the
  generator only ever writes them as absent ("no documentation of ...").  They are
  kept disjoint from the documented lists so a case never both has and lacks one.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Region:
    name: str            # id used by services
    body_part: str       # plain words for prose ("lumbar spine"); never an entity
    conditions: tuple[str, ...]
    exam: tuple[str, ...]
    normal: tuple[str, ...]
    imaging: tuple[str, ...]
    required_signs: tuple[str, ...]
    required_tests: tuple[str, ...]
    imaging_studies: tuple[str, ...]  # names of studies for "MRI of the ... dated"
    odg_chapter: str                  # ODG chapter name ("Low Back")
    acoem_chapter: int | None         # ACOEM 2nd edition chapter, when one covers the region


REGIONS: dict[str, Region] = {
    "lumbar": Region(
        name="lumbar", body_part="lumbar spine",
        conditions=("lumbar radiculopathy", "lumbar disc herniation", "lumbar degenerative disc disease",
                    "lumbar spinal stenosis", "lumbar facet arthropathy", "lumbosacral strain",
                    "low back pain", "chronic low back pain", "sciatica", "lumbar spondylolisthesis",
                    "failed back surgery syndrome", "numbness and tingling in the left leg",
                    "radiating pain to the right lower extremity", "lumbar sprain/strain",
                    "sacroiliac joint dysfunction", "bilateral leg pain", "lumbar spondylosis",
                    "L5-S1 disc protrusion with radiculitis", "post-laminectomy syndrome",
                    "lumbar myofascial strain", "weakness in the legs"),
        exam=("tenderness over the lumbar paraspinal muscles", "positive straight leg raise on the left",
              "positive straight leg raise on the right", "decreased lumbar range of motion",
              "paraspinal muscle spasm", "decreased sensation in the L5 dermatome",
              "decreased sensation in the S1 dermatome", "diminished left Achilles reflex",
              "4/5 strength in the left extensor hallucis longus", "pain with lumbar extension",
              "tenderness over the lumbar facet joints", "antalgic gait",
              "positive Patrick's test on the right", "guarding with lumbar flexion"),
        normal=("negative straight leg raise bilaterally", "intact sensation in the lower extremities",
                "normal strength in the lower extremities", "symmetric deep tendon reflexes",
                "normal gait", "negative slump test"),
        imaging=("disc protrusion at L4-5 with foraminal narrowing", "a 4 mm disc bulge at L5-S1",
                 "moderate central canal stenosis at L4-5", "facet hypertrophy at L4-5 and L5-S1",
                 "grade 1 anterolisthesis of L4 on L5", "desiccation of the L4-5 and L5-S1 discs",
                 "mild neural foraminal narrowing at L5-S1", "chronic L5 radiculopathy on EMG",
                 "a normal lower extremity nerve conduction study", "postsurgical changes at L5-S1"),
        required_signs=("objective radicular findings on exam", "dermatomal sensory deficit",
                        "focal motor weakness in a myotomal distribution", "loss of a lower extremity reflex",
                        "segmental instability on exam", "progressive neurologic deficit",
                        "red flag signs"),
        required_tests=("nerve root compression on MRI", "imaging evidence of nerve root impingement",
                        "electrodiagnostic evidence of radiculopathy", "instability on flexion-extension radiographs",
                        "a surgical lesion on imaging"),
        imaging_studies=("MRI of the lumbar spine", "lumbar spine radiographs", "EMG/NCV of the lower extremities"),
        odg_chapter="Low Back", acoem_chapter=12),
    "cervical": Region(
        name="cervical", body_part="cervical spine",
        conditions=("cervical radiculopathy", "cervical disc herniation", "cervical spondylosis",
                    "cervical sprain/strain", "neck pain", "chronic neck pain", "cervical facet syndrome",
                    "cervicogenic headache", "cervical degenerative disc disease", "cervical spinal stenosis",
                    "numbness in the right hand", "radiating pain into the left arm", "whiplash injury",
                    "cervical myofascial pain", "cervical spine pain", "bilateral upper extremity paresthesias",
                    "cervical post-laminectomy syndrome", "thoracic outlet syndrome", "upper back pain",
                    "thoracic sprain/strain"),
        exam=("tenderness over the cervical paraspinal muscles", "decreased cervical range of motion",
              "positive Spurling's test on the right", "positive Spurling's test on the left",
              "decreased sensation in the C6 dermatome", "decreased sensation in the C7 dermatome",
              "diminished right biceps reflex", "4/5 grip strength on the left",
              "trapezius muscle spasm", "pain with cervical extension and rotation",
              "tenderness over the cervical facet joints", "upper trapezius trigger points with referral"),
        normal=("negative Spurling's test", "intact sensation in the upper extremities",
                "normal strength in the upper extremities", "2+ and symmetric upper extremity reflexes",
                "negative Hoffmann's sign"),
        imaging=("disc protrusion at C5-6 with foraminal narrowing", "a 3 mm disc osteophyte complex at C6-7",
                 "moderate left neural foraminal stenosis at C5-6", "reversal of the cervical lordosis",
                 "multilevel degenerative changes of the cervical spine", "acute C6 radiculopathy on EMG",
                 "a normal upper extremity EMG", "spondylotic changes at C4-5 and C5-6"),
        required_signs=("objective evidence of radiculopathy on exam", "a dermatomal sensory loss in the arm",
                        "upper extremity myotomal weakness", "a diminished upper extremity reflex",
                        "cervical myelopathic signs"),
        required_tests=("cervical nerve root compression on MRI", "electrodiagnostic confirmation of cervical radiculopathy",
                        "imaging findings correlating with the symptoms", "cord compression on imaging"),
        imaging_studies=("MRI of the cervical spine", "cervical spine radiographs", "EMG/NCV of the upper extremities"),
        odg_chapter="Neck and Upper Back", acoem_chapter=8),
    "thoracic": Region(
        name="thoracic", body_part="thoracic spine",
        conditions=("thoracic sprain/strain", "mid back pain", "thoracic radiculopathy", "thoracic disc herniation",
                    "thoracic spondylosis", "thoracic compression fracture", "costochondritis", "intercostal neuralgia",
                    "thoracic myofascial pain", "rib pain", "thoracolumbar strain", "scapular pain",
                    "thoracic facet syndrome", "kyphosis"),
        exam=("tenderness over the thoracic paraspinal muscles", "decreased thoracic rotation",
              "tenderness over the T7-T8 spinous processes", "rhomboid muscle spasm", "pain with deep inspiration",
              "tenderness along the left costal margin"),
        normal=("normal chest wall expansion", "intact sensation over the trunk", "no thoracic kyphosis on inspection"),
        imaging=("a mild T8 compression deformity", "a small T7-8 disc protrusion without cord compression",
                 "thoracic spondylosis on radiographs", "Schmorl's nodes at T9-T11"),
        required_signs=("a thoracic dermatomal sensory deficit", "long tract signs on exam"),
        required_tests=("thoracic cord or root compression on MRI", "an acute fracture on imaging"),
        imaging_studies=("MRI of the thoracic spine", "thoracic spine radiographs"),
        odg_chapter="Low Back", acoem_chapter=12),
    "shoulder": Region(
        name="shoulder", body_part="shoulder",
        conditions=("rotator cuff tear", "rotator cuff tendinitis", "shoulder impingement syndrome",
                    "adhesive capsulitis", "glenoid labral tear", "acromioclavicular joint arthritis",
                    "right shoulder pain", "left shoulder pain", "subacromial bursitis", "biceps tendinitis",
                    "shoulder sprain/strain", "partial-thickness supraspinatus tear", "frozen shoulder",
                    "glenohumeral osteoarthritis", "shoulder instability", "calcific tendinitis of the shoulder",
                    "status post right shoulder arthroscopy", "night pain in the shoulder",
                    "weakness with overhead reaching", "shoulder stiffness"),
        exam=("positive Neer's sign", "positive Hawkins test", "positive empty can test",
              "forward flexion limited to 120 degrees", "tenderness over the acromioclavicular joint",
              "painful arc of motion", "positive O'Brien's test", "4/5 external rotation strength",
              "crepitus with shoulder range of motion", "positive drop arm test",
              "abduction limited to 90 degrees"),
        normal=("negative drop arm test", "full shoulder range of motion", "5/5 rotator cuff strength",
                "negative apprehension test", "intact sensation in the shoulder girdle"),
        imaging=("a full-thickness supraspinatus tear on MRI", "partial-thickness infraspinatus tearing",
                 "a superior labral tear on MR arthrogram", "type II acromion with subacromial spurring",
                 "acromioclavicular joint hypertrophy", "supraspinatus tendinosis on MRI",
                 "glenohumeral joint effusion", "calcific deposits in the supraspinatus tendon"),
        required_signs=("weakness on rotator cuff testing", "a positive impingement sign", "loss of shoulder motion on exam",
                        "mechanical symptoms with instability on exam", "a positive subacromial lidocaine injection test"),
        required_tests=("a full-thickness tear on imaging", "imaging evidence of impingement", "a labral tear on MR arthrogram",
                        "radiographic glenohumeral arthritis"),
        imaging_studies=("MRI of the right shoulder", "MRI of the left shoulder", "shoulder radiographs"),
        odg_chapter="Shoulder", acoem_chapter=9),
    "elbow": Region(
        name="elbow", body_part="elbow",
        conditions=("lateral epicondylitis", "medial epicondylitis", "cubital tunnel syndrome",
                    "left ulnar neuropathy", "right elbow pain", "olecranon bursitis", "elbow sprain/strain",
                    "distal biceps tendinopathy", "radial tunnel syndrome", "elbow osteoarthritis",
                    "numbness in the ring and small fingers", "forearm pain", "tennis elbow", "golfer's elbow", "elbow stiffness", "ulnar collateral ligament sprain", "right forearm strain", "elbow contracture"),
        exam=("tenderness over the lateral epicondyle", "pain with resisted wrist extension",
              "positive Tinel's sign at the cubital tunnel", "positive elbow flexion test",
              "tenderness over the medial epicondyle", "decreased grip strength on the right",
              "diminished two-point discrimination in the small finger", "pain with resisted middle finger extension"),
        normal=("full elbow range of motion", "stable elbow to varus and valgus stress", "negative Tinel's sign at the elbow"),
        imaging=("ulnar slowing across the elbow on nerve conduction study", "common extensor tendinosis on MRI",
                 "a small elbow joint effusion", "moderate left ulnar neuropathy at the elbow on EMG"),
        required_signs=("intrinsic hand muscle weakness", "ulnar nerve subluxation on exam", "failure of grip strength testing"),
        required_tests=("electrodiagnostic evidence of ulnar neuropathy", "imaging showing a tendon tear"),
        imaging_studies=("MRI of the right elbow", "EMG/NCV of the upper extremities"),
        odg_chapter="Elbow", acoem_chapter=10),
    "wrist_hand": Region(
        name="wrist_hand", body_part="wrist and hand",
        conditions=("carpal tunnel syndrome", "bilateral carpal tunnel syndrome", "de Quervain's tenosynovitis",
                    "trigger finger", "right wrist pain", "wrist sprain/strain", "TFCC tear", "ganglion cyst of the wrist",
                    "hand numbness", "numbness and tingling in the fingers", "carpometacarpal joint arthritis",
                    "mild carpal tunnel symptoms", "complex regional pain syndrome of the right upper extremity",
                    "flexor tenosynovitis", "wrist tendinitis", "hand weakness", "dropping objects"),
        exam=("positive Tinel's sign at the wrist", "positive Phalen's test", "positive Finkelstein's test",
              "thenar atrophy", "decreased sensation in the median nerve distribution",
              "tenderness over the first dorsal compartment", "triggering of the right ring finger",
              "decreased grip strength", "positive carpal compression test", "swelling over the dorsal wrist"),
        normal=("negative Tinel's sign at the wrist", "negative Phalen's test", "intact sensation in the hand",
                "normal thenar bulk", "full wrist range of motion"),
        imaging=("moderate bilateral carpal tunnel syndrome on EMG", "prolonged median distal motor latency",
                 "a TFCC tear on MRI", "median sensory slowing across the wrist", "a dorsal ganglion cyst on ultrasound",
                 "normal median nerve conduction"),
        required_signs=("thenar weakness on exam", "a positive carpal tunnel provocative test", "two-point discrimination loss"),
        required_tests=("electrodiagnostic confirmation of carpal tunnel syndrome", "nerve conduction evidence of median neuropathy"),
        imaging_studies=("EMG/NCV of the upper extremities", "MRI of the right wrist", "wrist radiographs"),
        odg_chapter="Forearm, Wrist, and Hand", acoem_chapter=11),
    "hip": Region(
        name="hip", body_part="hip",
        conditions=("hip osteoarthritis", "greater trochanteric bursitis", "hip labral tear", "right hip pain",
                    "femoroacetabular impingement", "avascular necrosis of the femoral head", "hip sprain/strain",
                    "piriformis syndrome", "groin pain", "status post total hip arthroplasty", "iliotibial band syndrome",
                    "hip flexor strain", "snapping hip", "buttock pain", "hip bursitis", "meralgia paresthetica", "hip stiffness", "sacroiliitis"),
        exam=("tenderness over the greater trochanter", "pain with internal rotation of the hip", "positive FABER test",
              "positive FADIR test", "limited hip flexion to 90 degrees", "positive Trendelenburg sign"),
        normal=("full hip range of motion", "negative log roll test", "5/5 hip abductor strength"),
        imaging=("moderate joint space narrowing of the right hip", "an anterosuperior labral tear on MR arthrogram",
                 "cam morphology of the femoral head-neck junction", "trochanteric bursal fluid on MRI"),
        required_signs=("mechanical hip symptoms on exam", "a positive impingement test of the hip"),
        required_tests=("radiographic evidence of hip arthritis", "a labral tear confirmed on MR arthrogram"),
        imaging_studies=("MRI of the right hip", "hip radiographs"),
        odg_chapter="Hip & Pelvis", acoem_chapter=None),
    "knee": Region(
        name="knee", body_part="knee",
        conditions=("knee osteoarthritis", "medial meniscus tear", "lateral meniscus tear", "patellofemoral syndrome",
                    "chondromalacia patella", "anterior cruciate ligament tear", "right knee pain", "left knee pain",
                    "knee sprain/strain", "status post left knee arthroscopy", "tricompartmental osteoarthritis of the knee",
                    "knee effusion", "giving way of the knee", "knee locking", "pes anserine bursitis",
                    "patellar tendinitis", "bilateral knee pain"),
        exam=("medial joint line tenderness", "positive McMurray's test", "knee effusion on exam", "crepitus with knee flexion",
              "positive Lachman test", "flexion limited to 100 degrees", "patellar grind sign",
              "lateral joint line tenderness", "quadriceps atrophy", "antalgic gait favoring the right knee"),
        normal=("stable knee to varus and valgus stress", "negative McMurray's test", "negative anterior drawer test",
                "full knee extension", "no knee effusion on palpation"),
        imaging=("a complex tear of the posterior horn of the medial meniscus", "moderate medial compartment joint space narrowing",
                 "grade III chondromalacia of the patella", "a full-thickness ACL tear on MRI",
                 "a degenerative tear of the lateral meniscus", "tricompartmental osteophytes", "a large joint effusion on MRI"),
        required_signs=("mechanical locking on exam", "ligamentous laxity on exam", "a positive meniscal provocative test"),
        required_tests=("radiographic evidence of osteoarthritis", "a meniscal tear on MRI", "standing radiographs showing joint space narrowing"),
        imaging_studies=("MRI of the right knee", "MRI of the left knee", "standing knee radiographs"),
        odg_chapter="Knee & Leg", acoem_chapter=13),
    "ankle_foot": Region(
        name="ankle_foot", body_part="ankle and foot",
        conditions=("plantar fasciitis", "ankle sprain", "Achilles tendinitis", "tarsal tunnel syndrome",
                    "posterior tibial tendon dysfunction", "ankle osteoarthritis", "right ankle pain", "heel pain",
                    "Morton's neuroma", "chronic ankle instability", "metatarsalgia", "foot pain", "peroneal tendinitis", "hallux valgus", "sinus tarsi syndrome", "ankle swelling", "cuboid syndrome", "calcaneal stress fracture"),
        exam=("tenderness at the plantar fascia origin", "tenderness over the anterior talofibular ligament",
              "positive anterior drawer test of the ankle", "swelling of the lateral ankle", "positive Tinel's sign at the tarsal tunnel",
              "tenderness along the Achilles tendon", "pes planus with hindfoot valgus"),
        normal=("stable ankle on stress testing", "intact sensation in the foot", "normal ankle range of motion"),
        imaging=("thickening of the plantar fascia on ultrasound", "a partial tear of the anterior talofibular ligament",
                 "Achilles tendinosis on MRI", "a plantar calcaneal spur", "osteochondral lesion of the talus"),
        required_signs=("ankle instability on exam", "a positive tarsal tunnel Tinel's sign"),
        required_tests=("ligament disruption on stress radiographs", "an osteochondral lesion on MRI"),
        imaging_studies=("MRI of the right ankle", "ankle radiographs"),
        odg_chapter="Ankle & Foot", acoem_chapter=14),
    "head": Region(
        name="head", body_part="head",
        conditions=("headache", "occipital neuralgia", "post-traumatic headache", "migraine", "post-concussion syndrome",
                    "dizziness", "tension-type headache", "cervicogenic headache", "temporomandibular joint disorder",
                    "tinnitus", "memory complaints", "blurred vision", "chronic daily headache", "traumatic brain injury", "vertigo", "photophobia", "bruxism", "facial pain", "light-headedness"),
        exam=("tenderness over the greater occipital nerve", "reproduction of headaches with pressure over the occipital region",
              "positive Tinel's sign over the occipital nerve", "tenderness of the temporalis muscles", "jaw clicking on opening"),
        normal=("intact cranial nerves", "normal strength and station", "intact sensation", "normal fundoscopic exam",
                "negative Romberg test"),
        imaging=("a normal brain MRI", "nonspecific white matter changes on MRI", "normal EEG"),
        required_signs=("focal neurologic deficits", "papilledema"),
        required_tests=("abnormal neuroimaging", "an occipital nerve block response"),
        imaging_studies=("MRI of the brain", "CT of the head"),
        odg_chapter="Head", acoem_chapter=None),
    "psych": Region(
        name="psych", body_part="mood",
        conditions=("major depressive disorder", "depression", "anxiety", "generalized anxiety disorder",
                    "post-traumatic stress disorder", "insomnia", "adjustment disorder with mixed anxiety and depressed mood",
                    "sleep disturbance", "pain disorder associated with psychological factors", "panic disorder",
                    "chronic pain syndrome", "poor concentration", "irritability", "psychological factors affecting medical condition",
                    "depressive symptoms secondary to chronic pain", "somatic symptom disorder", "nightmares", "hypervigilance", "opioid use disorder", "fatigue"),
        exam=("a Beck Depression Inventory score of 31", "a Beck Anxiety Inventory score of 24", "flat affect",
              "depressed mood on mental status examination", "psychomotor slowing", "tearful affect",
              "a PHQ-9 score of 18", "an Epworth Sleepiness Scale score of 14"),
        normal=("normal thought process", "no suicidal ideation", "intact judgment and insight", "alert and oriented times three"),
        imaging=("a sleep study showing reduced sleep efficiency", "elevated scores on the MMPI-2 somatic scales"),
        required_signs=("a formal psychological assessment", "objective psychometric testing results"),
        required_tests=("baseline psychometric testing", "a sleep study"),
        imaging_studies=("psychological testing", "polysomnography"),
        odg_chapter="Mental Illness & Stress", acoem_chapter=15),
    "general": Region(
        name="general", body_part="whole body",
        conditions=("chronic pain", "neuropathic pain", "myofascial pain syndrome", "fibromyalgia", "gastritis",
                    "NSAID-induced dyspepsia", "gastroesophageal reflux disease", "hypertension", "diabetes mellitus",
                    "obesity", "constipation", "opioid-induced constipation", "muscle spasms", "chronic pain syndrome",
                    "complex regional pain syndrome", "peripheral neuropathy", "diffuse myalgias",
                    "medication-related nausea", "erectile dysfunction", "sexual dysfunction", "sleep apnea", "widespread pain", "chronic fatigue", "hyperlipidemia"),
        exam=("diffuse tenderness to palpation", "multiple tender points", "allodynia of the right foot",
              "mottled skin of the hand", "a body mass index of 38", "an elevated blood pressure of 150/94",
              "epigastric tenderness", "hyperalgesia over the forearm"),
        normal=("normal vital signs", "a soft, nontender abdomen", "no acute distress",
                "urine drug screen consistent with prescribed medications"),
        imaging=("elevated liver enzymes", "a normal comprehensive metabolic panel", "a hemoglobin A1c of 7.9",
                 "an inconsistent urine drug screen", "a triple-phase bone scan consistent with CRPS"),
        required_signs=("discrete trigger points with a twitch response", "objective signs of neuropathic pain",
                        "allodynia on exam"),
        required_tests=("laboratory monitoring of liver and renal function", "a documented gastrointestinal work-up"),
        imaging_studies=("laboratory studies", "urine drug screen"),
        odg_chapter="Pain", acoem_chapter=None),
}


@dataclass(frozen=True)
class Citation:
    """A guideline named in a letter. ``name`` is the GUIDELINE span surface (name with
    chapter or edition written together with it); ``topic`` and ``pages`` follow it but
    lie outside the span (taxonomy section 5)."""

    name: str
    gid: str
    short: str            # acronym a rationale can use ("ODG guidelines" marks only "ODG")
    topic: str = ""
    pages: str = ""


@dataclass(frozen=True)
class Service:
    name: str             # surface as the letter writes it; must appear verbatim
    category: str         # key into CATEGORY (reason pools, guideline topic, limits)
    region: str           # key into REGIONS, or "any"
    qty: str = ""         # the quantity requested, when the name states it
    guidelines: tuple[Citation, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class Category:
    """How one kind of service is reviewed: which reasons fit, which guideline topic
    and pages apply, what the guideline allows, what a denial may cite."""

    group: str                         # drugs, injections, imaging, therapy, surgery, dme, psych, home
    topic: str                         # guideline topic written after the guideline name
    pages: str                         # MTUS page numbers for the claims-administrator citation
    reasons: dict[str, int]            # reason id -> weight
    # What the guideline supports it for. A bare noun phrase is a CONDITION span (negated
    # where the rationale says it is absent); one with an article ("a homebound status")
    # is a clinical situation, written as plain text.
    indications: tuple[str, ...]
    limits: tuple[str, ...]            # what the guideline allows
    done: tuple[str, ...]              # what was already received (for exceeds_guideline_limits)
    prior: tuple[str, ...]             # simpler care that should come first
    prereq: tuple[str, ...]            # prerequisite steps (prerequisite_not_met)
    monitor: tuple[str, ...]           # monitoring elements (monitoring_not_documented)
    unspecified: tuple[str, ...]       # what the request leaves out (request_not_specified)
    uses_cpmtg: bool = True            # cited under the MTUS Chronic Pain guidelines
    uses_pstg: bool = False            # cited under the Post-Surgical Treatment Guidelines


_DRUG_UNSPEC = ("the dosage and frequency", "the quantity requested", "the strength, frequency or duration of use",
                "a rationale for the prescription")
_THERAPY_UNSPEC = ("the body part to be treated", "the number of sessions already completed", "specific treatment goals",
                   "the frequency and duration of the treatment")

CATEGORY: dict[str, Category] = {
    "opioid": Category(
        "drugs", "Opioids", "74-96",
        {"no_functional_improvement": 6, "monitoring_not_documented": 5, "exceeds_guideline_limits": 2,
         "request_not_specified": 2, "conservative_care_not_exhausted": 1},
        ("chronic pain",), ("a morphine equivalent dose of 120 mg per day", "short-term use for acute pain"),
        ("more than two years of continuous opioid therapy", "a daily dose of 180 mg morphine equivalents"),
        ("non-opioid analgesics", "first-line NSAIDs and acetaminophen"), ("an opioid treatment agreement",),
        ("a recent urine drug screen", "an opioid risk assessment", "a signed pain agreement",
         "ongoing review of the 4 A's (analgesia, activities of daily living, adverse effects and aberrant behavior)",
         "a CURES report"), _DRUG_UNSPEC),
    "nsaid": Category(
        "drugs", "NSAIDs (non-steroidal anti-inflammatory drugs)", "67-73",
        {"no_functional_improvement": 4, "exceeds_guideline_limits": 4, "monitoring_not_documented": 2,
         "request_not_specified": 2, "indication_not_met": 1},
        ("osteoarthritis", "acute exacerbation of chronic low back pain"), ("the lowest dose for the shortest period",
                                                                            "short-term symptomatic relief"),
        ("over a year of daily NSAID use", "daily NSAIDs since the date of injury"), ("acetaminophen",), ("baseline laboratory testing",),
        ("periodic blood pressure checks", "laboratory monitoring of renal and hepatic function", "a complete blood count"),
        _DRUG_UNSPEC),
    "relaxant": Category(
        "drugs", "Muscle relaxants (for pain)", "63-66",
        {"exceeds_guideline_limits": 6, "no_functional_improvement": 3, "indication_not_met": 2, "request_not_specified": 1},
        ("an acute exacerbation of chronic low back pain", "acute muscle spasm"), ("a short course of 2-3 weeks", "no more than 2-3 weeks"),
        ("several months of daily use", "use since at least last year"), ("NSAIDs",), (), (), _DRUG_UNSPEC),
    "ppi": Category(
        "drugs", "NSAIDs, GI symptoms & cardiovascular risk", "68-69",
        {"indication_not_met": 7, "request_not_specified": 2, "exceeds_guideline_limits": 1},
        ("a high gastrointestinal risk", "a history of peptic ulcer", "gastrointestinal bleeding", "dyspepsia"),
        ("use only while at intermediate risk on NSAIDs",), ("long-term daily use",), (), (), (), _DRUG_UNSPEC),
    "topical": Category(
        "drugs", "Topical analgesics", "111-113",
        {"not_recommended_by_guideline": 7, "indication_not_met": 3, "conservative_care_not_exhausted": 3,
         "request_not_specified": 2},
        ("localized peripheral neuropathic pain", "osteoarthritis of the knee", "neuropathic pain"),
        ("short-term use of 4-12 weeks",), ("several months of use",),
        ("first-line antidepressants or anticonvulsants", "a tricyclic or SNRI antidepressant", "gabapentin or Lyrica"),
        (), (), ("the body part to be treated", "the frequency of application", "the quantity and strength")),
    "neuropathic": Category(
        "drugs", "Antiepilepsy drugs (AEDs)", "16-22",
        {"no_functional_improvement": 5, "indication_not_met": 4, "monitoring_not_documented": 1, "request_not_specified": 2},
        ("neuropathic pain", "diabetic painful neuropathy", "postherpetic neuralgia", "radiculopathy"),
        ("a trial with reassessment of 30% pain reduction",), ("more than a year of use",), ("tricyclic antidepressants",), (),
        ("documentation of side effects at each visit",), _DRUG_UNSPEC),
    "sleep": Category(
        "drugs", "Insomnia treatment", "",
        {"indication_not_met": 5, "exceeds_guideline_limits": 5, "no_functional_improvement": 2, "conservative_care_not_exhausted": 2},
        ("insomnia", "a sleep disorder", "chronic insomnia"), ("short-term use of 7-10 days", "no longer than 4 weeks"),
        ("nightly use for several months", "use since last year"), ("sleep hygiene measures", "cognitive behavioral therapy for insomnia"),
        (), (), _DRUG_UNSPEC, uses_cpmtg=False),
    "benzo": Category(
        "drugs", "Benzodiazepines", "24",
        {"exceeds_guideline_limits": 7, "monitoring_not_documented": 2, "no_functional_improvement": 2, "indication_not_met": 1},
        ("anxiety disorder",), ("use limited to 4 weeks",), ("chronic daily use for over a year",), (), (),
        ("a urine drug screen",), _DRUG_UNSPEC),
    "antidepressant": Category(
        "drugs", "Antidepressants for chronic pain", "13-16",
        {"no_functional_improvement": 5, "indication_not_met": 3, "request_not_specified": 2},
        ("depression", "neuropathic pain", "major depressive disorder"), ("a trial with assessment within 4 weeks",),
        ("two years of use",), (), (), (), _DRUG_UNSPEC),
    "medfood": Category(
        "drugs", "Medical food", "",
        {"not_recommended_by_guideline": 8, "indication_not_met": 3, "request_not_specified": 1},
        ("a documented nutritional deficiency",), (), (), (), (), (), _DRUG_UNSPEC, uses_cpmtg=False),
    "esi": Category(
        "injections", "Epidural steroid injections (ESIs)", "46",
        {"missing_exam_finding": 6, "missing_diagnostic_evidence": 6, "no_functional_improvement": 3,
         "conservative_care_not_exhausted": 3, "exceeds_guideline_limits": 1, "request_not_specified": 2},
        ("radiculopathy",), ("no more than two injections", "repeat blocks only after 50% pain relief for six to eight weeks"),
        ("three prior epidural injections",), ("physical methods, NSAIDs and muscle relaxants", "physical therapy and medications"),
        (), (), ("the level to be injected", "the side and level of the injection", "whether fluoroscopic guidance is planned")),
    "facet": Category(
        "injections", "Facet joint diagnostic blocks", "",
        {"prerequisite_not_met": 5, "indication_not_met": 4, "missing_exam_finding": 3, "exceeds_guideline_limits": 2,
         "request_not_specified": 2},
        ("facet-mediated pain", "non-radicular low back pain"), ("no more than two joint levels at one time",),
        ("radiofrequency ablation at the same levels last year",), ("home exercise and physical therapy",),
        ("a diagnostic medial branch block with at least 70% relief", "a successful diagnostic facet block"),
        (), ("the levels to be treated", "the side to be treated"), uses_cpmtg=False),
    "tpi": Category(
        "injections", "Trigger point injections", "122",
        {"indication_not_met": 5, "missing_exam_finding": 6, "no_functional_improvement": 3, "exceeds_guideline_limits": 1},
        ("myofascial pain syndrome",), ("no repeat injections unless 50% relief lasts six weeks",), ("four prior trigger point injections",),
        ("stretching exercises, physical therapy, NSAIDs and muscle relaxants",), (), (), ("the number of trigger points to be injected",)),
    "joint_inj": Category(
        "injections", "Corticosteroid injections", "",
        {"conservative_care_not_exhausted": 4, "missing_diagnostic_evidence": 3, "missing_exam_finding": 2,
         "no_functional_improvement": 3, "exceeds_guideline_limits": 2},
        ("symptomatic osteoarthritis", "impingement syndrome"), ("up to three injections",), ("three prior cortisone injections",),
        ("a course of physical therapy and NSAIDs",), (), (), ("the joint to be injected",), uses_cpmtg=False),
    "visco": Category(
        "injections", "Hyaluronic acid injections", "",
        {"conservative_care_not_exhausted": 5, "missing_diagnostic_evidence": 4, "indication_not_met": 3,
         "no_functional_improvement": 2},
        ("severe osteoarthritis of the knee",), ("a repeat series only after six months of benefit",), ("two prior series of injections",),
        ("an intra-articular steroid injection", "aspiration and a steroid injection", "NSAIDs and exercise"), (), (),
        ("the knee to be injected",), uses_cpmtg=False),
    "rfa": Category(
        "injections", "Facet joint radiofrequency neurotomy", "",
        {"prerequisite_not_met": 7, "missing_exam_finding": 2, "no_functional_improvement": 2, "request_not_specified": 1},
        ("facet-mediated pain",), ("no more than two levels",), ("a prior neurotomy with less than 12 weeks of relief",), (),
        ("a diagnostic medial branch block", "dual comparative medial branch blocks"), (), ("the levels to be ablated",),
        uses_cpmtg=False),
    "nerve_block": Category(
        "injections", "Greater occipital nerve block", "",
        {"not_recommended_by_guideline": 4, "indication_not_met": 4, "no_functional_improvement": 3, "missing_exam_finding": 2},
        ("occipital neuralgia",), ("repeat blocks only with documented relief",), ("three prior blocks",), (), (), (), (),
        uses_cpmtg=False),
    "imaging": Category(
        "imaging", "Special Studies and Diagnostic and Treatment Considerations", "",
        {"missing_exam_finding": 6, "conservative_care_not_exhausted": 4, "indication_not_met": 3,
         "missing_diagnostic_evidence": 1, "request_not_specified": 1},
        ("a suspected red flag condition", "a progressive neurologic deficit"), ("repeat imaging only for a significant change in symptoms",),
        ("an MRI of the same region eight months ago",), ("at least one month of conservative care", "physical therapy"),
        (), (), ("which body part is to be imaged", "the clinical question the study would answer"), uses_cpmtg=False),
    "emg": Category(
        "imaging", "Electrodiagnostic studies", "",
        {"missing_exam_finding": 5, "conservative_care_not_exhausted": 3, "indication_not_met": 3, "exceeds_guideline_limits": 1},
        ("a suspected peripheral nerve entrapment", "radiculopathy"), ("one study unless symptoms change",), ("electrodiagnostic studies six months ago",),
        ("three to four weeks of conservative therapy",), (), (), ("which extremities are to be tested",), uses_cpmtg=False),
    "therapy": Category(
        "therapy", "Physical Medicine", "98-99",
        {"exceeds_guideline_limits": 7, "no_functional_improvement": 5, "request_not_specified": 3, "indication_not_met": 1},
        ("a flare-up of symptoms",), ("9-10 visits over 8 weeks", "8-10 visits over 4 weeks", "a 6-visit clinical trial"),
        ("24 prior physical therapy visits", "at least 18 sessions to date", "more than 30 sessions since the injury"),
        ("a home exercise program",), (), (), _THERAPY_UNSPEC),
    "chiro": Category(
        "therapy", "Manual therapy & manipulation", "58-60",
        {"exceeds_guideline_limits": 6, "no_functional_improvement": 5, "not_recommended_by_guideline": 2, "request_not_specified": 2},
        ("musculoskeletal low back pain",), ("a trial of 6 visits over 2 weeks", "up to 18 visits over 6-8 weeks with evidence of improvement"),
        ("20 prior chiropractic visits", "at least 12 chiropractic sessions"), (), (), (), _THERAPY_UNSPEC),
    "acupuncture": Category(
        "therapy", "Acupuncture Medical Treatment Guidelines", "",
        {"exceeds_guideline_limits": 5, "no_functional_improvement": 6, "request_not_specified": 2},
        (), ("an initial trial of 3-6 treatments", "1-3 times per week for 1-2 months"),
        ("12 prior acupuncture sessions", "at least 16 acupuncture treatments"), (), (), (), _THERAPY_UNSPEC, uses_cpmtg=False),
    "postop": Category(
        "therapy", "Postsurgical treatment", "",
        {"indication_not_met": 7, "exceeds_guideline_limits": 3, "request_not_specified": 1},
        ("a certified surgical procedure",), ("24 visits over 14 weeks", "an initial course of half the postsurgical visits"),
        ("20 postoperative visits",), (), (), (), _THERAPY_UNSPEC, uses_cpmtg=False, uses_pstg=True),
    "surgery": Category(
        "surgery", "Surgical Considerations", "",
        {"missing_diagnostic_evidence": 6, "missing_exam_finding": 5, "conservative_care_not_exhausted": 5,
         "prerequisite_not_met": 2, "indication_not_met": 1},
        ("a surgical lesion",), (), (), ("a course of physical therapy", "activity modification and injections",
                                           "at least three months of conservative treatment"),
        ("a psychological screening before spinal surgery", "smoking cessation before fusion", "a diagnostic injection with a positive response"),
        (), ("the levels to be operated on",), uses_cpmtg=False),
    "dme": Category(
        "dme", "Durable medical equipment (DME)", "",
        {"prerequisite_not_met": 5, "not_recommended_by_guideline": 4, "request_not_specified": 3, "indication_not_met": 2},
        ("a condition for which the device is medically indicated",), ("a one-month rental",), ("a prior unit used for a year",), (),
        ("a documented one-month home trial with outcomes", "a successful one-month rental trial"), (),
        ("whether the unit is for rental or purchase", "the body part to be treated", "the duration of use")),
    "tens": Category(
        "dme", "Transcutaneous electrotherapy", "114-116",
        {"prerequisite_not_met": 7, "not_recommended_by_guideline": 3, "indication_not_met": 3, "request_not_specified": 2},
        ("neuropathic pain", "CRPS", "phantom limb pain", "spasticity"), (), (), (),
        ("a one-month home-based TENS trial", "a documented one-month trial with outcomes in pain relief and function"),
        (), ("whether the unit is for rental or purchase", "the duration of use")),
    "scs": Category(
        "surgery", "Spinal cord stimulators (SCS)", "105-107",
        {"prerequisite_not_met": 8, "indication_not_met": 3, "conservative_care_not_exhausted": 2},
        ("failed back surgery syndrome", "complex regional pain syndrome"), (), (), ("less invasive procedures",),
        ("a psychological evaluation before the trial", "a successful temporary trial", "psychological clearance"), (), ()),
    "psych": Category(
        "psych", "Behavioral interventions", "23",
        {"exceeds_guideline_limits": 5, "no_functional_improvement": 5, "request_not_specified": 3, "indication_not_met": 2},
        ("depression", "psychological symptoms related to the injury"),
        ("an initial trial of 3-4 psychotherapy visits over 2 weeks", "up to 6-10 visits over 5-6 weeks with objective improvement"),
        ("20 prior psychotherapy sessions", "at least 12 cognitive behavioral therapy sessions"), ("a physical medicine program",),
        (), (), _THERAPY_UNSPEC),
    "psych_eval": Category(
        "psych", "Psychological evaluations", "100-101",
        {"indication_not_met": 5, "request_not_specified": 4, "exceeds_guideline_limits": 2},
        ("a psychological condition related to the injury", "a delayed recovery"), ("one evaluation",),
        ("a full psychological evaluation four months ago",), (), (), (),
        ("the purpose of the evaluation", "the number of testing hours")),
    "frp": Category(
        "psych", "Functional restoration programs (FRPs)", "30-32",
        {"prerequisite_not_met": 5, "conservative_care_not_exhausted": 4, "exceeds_guideline_limits": 2, "request_not_specified": 2},
        ("chronic pain syndrome",), ("a trial of 2 weeks or 80 hours", "no more than 20 full-day sessions"), ("160 hours of a prior program",),
        ("other methods of treating chronic pain",), ("an adequate and thorough multidisciplinary evaluation", "baseline functional testing"),
        (), ("the number of hours or days requested",)),
    "home": Category(
        "home", "Home health services", "51",
        {"indication_not_met": 7, "request_not_specified": 4, "not_recommended_by_guideline": 2},
        ("a homebound status", "a need for skilled medical care at home"), ("no more than 35 hours per week",),
        ("home care since last year",), (), (), (), ("the number of hours per week", "the specific services to be performed")),
    "lab": Category(
        "imaging", "Laboratory testing", "",
        {"indication_not_met": 5, "exceeds_guideline_limits": 4, "request_not_specified": 2},
        ("a high risk of aberrant drug behavior", "a suspected medication toxicity"), ("testing up to twice a year for low-risk patients",),
        ("four urine drug screens in the past year", "monthly drug testing"), (), (), (), ("which tests are requested",)),
}


def _svc(name, category, region, qty=""):
    return (name, category, region, qty)


# At least 150 services, across drugs, injections, imaging, therapy, surgery, DME, psych and home care.
_SERVICES_RAW = [
    # opioids
    _svc("Norco 10/325 mg #120", "opioid", "any", "120 tablets"), _svc("Norco 10/325mg, #90", "opioid", "any", "90 tablets"),
    _svc("Hydrocodone/APAP 7.5/325 mg #60", "opioid", "any", "60 tablets"), _svc("Oxycodone 15 mg #180", "opioid", "any", "180 tablets"),
    _svc("OxyContin 40 mg #60", "opioid", "any", "60 tablets"), _svc("Percocet 10/325 mg #120", "opioid", "any", "120 tablets"),
    _svc("Tramadol ER 150 mg #30", "opioid", "any", "30 tablets"), _svc("Ultram 50 mg #90", "opioid", "any", "90 tablets"),
    _svc("Morphine sulfate ER 30 mg #60", "opioid", "any", "60 tablets"), _svc("Fentanyl patch 50 mcg #10", "opioid", "any", "10 patches"),
    _svc("Methadone 10 mg #90", "opioid", "any", "90 tablets"), _svc("Tapentadol (Nucynta) 50 mg #60", "opioid", "any", "60 tablets"),
    _svc("Butrans patch 10 mcg/hr #4", "opioid", "any", "4 patches"), _svc("Hydromorphone 4 mg #120", "opioid", "any", "120 tablets"),
    _svc("Tylenol with Codeine #3, #60", "opioid", "any", "60 tablets"), _svc("Oxymorphone ER 20 mg #60", "opioid", "any", "60 tablets"),
    # NSAIDs, relaxants, GI, sleep, neuropathic, others
    _svc("Naproxen sodium 550 mg #100", "nsaid", "any", "100 tablets"), _svc("Anaprox DS 550 mg #60", "nsaid", "any"),
    _svc("Ibuprofen 800 mg #90", "nsaid", "any"), _svc("Celebrex 200 mg #30", "nsaid", "any"),
    _svc("Meloxicam 15 mg #30", "nsaid", "any"), _svc("Diclofenac sodium ER 100 mg #60", "nsaid", "any"),
    _svc("Nabumetone 750 mg #60", "nsaid", "any"), _svc("Etodolac 400 mg #60", "nsaid", "any"),
    _svc("Cyclobenzaprine 7.5 mg #90", "relaxant", "any"), _svc("Flexeril 10 mg #60", "relaxant", "any"),
    _svc("Soma 350 mg #60", "relaxant", "any"), _svc("Tizanidine 4 mg #120", "relaxant", "any"),
    _svc("Methocarbamol 750 mg #90", "relaxant", "any"), _svc("Orphenadrine ER 100 mg #60", "relaxant", "any"),
    _svc("Baclofen 10 mg #90", "relaxant", "any"), _svc("Metaxalone (Skelaxin) 800 mg #60", "relaxant", "any"),
    _svc("Omeprazole 20 mg #60", "ppi", "any"), _svc("Prilosec 20 mg #30", "ppi", "any"),
    _svc("Pantoprazole 40 mg #30", "ppi", "any"), _svc("Ranitidine 150 mg #60", "ppi", "any"),
    _svc("Ondansetron 8 mg ODT #30", "ppi", "any"),
    _svc("Ambien 10 mg #30", "sleep", "any"), _svc("Zolpidem tartrate ER 12.5 mg #30", "sleep", "any"),
    _svc("Lunesta 3 mg #30", "sleep", "any"), _svc("Restoril 30 mg #30", "sleep", "any"),
    _svc("Trazodone 50 mg #60", "sleep", "any"), _svc("Sonata 10 mg #30", "sleep", "any"),
    _svc("Xanax 0.5 mg #60", "benzo", "any"), _svc("Klonopin 1 mg #60", "benzo", "any"),
    _svc("Valium 10 mg #30", "benzo", "any"), _svc("Ativan 1 mg #60", "benzo", "any"),
    _svc("Gabapentin 600 mg #90", "neuropathic", "any"), _svc("Neurontin 300 mg #90", "neuropathic", "any"),
    _svc("Lyrica 75 mg #60", "neuropathic", "any"), _svc("Topiramate 50 mg #60", "neuropathic", "any"),
    _svc("Cymbalta 60 mg #30", "antidepressant", "any"), _svc("Amitriptyline 25 mg #30", "antidepressant", "any"),
    _svc("Nortriptyline 25 mg #60", "antidepressant", "any"), _svc("Wellbutrin XL 150 mg #30", "antidepressant", "psych"),
    _svc("Effexor XR 75 mg #30", "antidepressant", "psych"), _svc("Sertraline 100 mg #30", "antidepressant", "psych"),
    # topical and compounded
    _svc("Lidoderm 5% patch #30", "topical", "any"), _svc("Terocin patches #30", "topical", "any"),
    _svc("Flurbiprofen 20%/Lidocaine 5% cream 180 gm", "topical", "any"),
    _svc("Ketoprofen 20% cream 120 gm", "topical", "any"),
    _svc("Compounded cream: cyclobenzaprine 2%, gabapentin 15%, amitriptyline 10%", "topical", "any"),
    _svc("Capsaicin 0.075% cream", "topical", "any"), _svc("Voltaren 1% gel 100 gm", "topical", "any"),
    _svc("Menthoderm gel 240 gm", "topical", "any"), _svc("Tramadol 8%/Gabapentin 10% compound cream", "topical", "any"),
    _svc("Medrox patches #30", "topical", "any"), _svc("Lidopro topical ointment 121 gm", "topical", "any"),
    _svc("Sentra PM #60", "medfood", "any"), _svc("Theramine #90", "medfood", "any"), _svc("Trepadone #120", "medfood", "any"),
    # labs
    _svc("Urine drug screen", "lab", "general"), _svc("Urine toxicology screening, quarterly", "lab", "general"),
    _svc("Comprehensive metabolic panel", "lab", "general"), _svc("Genetic testing for opioid metabolism", "lab", "general"),
    # injections
    _svc("Lumbar epidural steroid injection at L4-5", "esi", "lumbar"),
    _svc("Transforaminal epidural steroid injection at left L5-S1", "esi", "lumbar"),
    _svc("Caudal epidural steroid injection", "esi", "lumbar"),
    _svc("Repeat lumbar epidural steroid injection L4-L5, L5-S1", "esi", "lumbar"),
    _svc("Cervical epidural steroid injection at C5-6", "esi", "cervical"),
    _svc("Interlaminar cervical epidural steroid injection C6-7", "esi", "cervical"),
    _svc("Bilateral L4-5 and L5-S1 facet injections", "facet", "lumbar"),
    _svc("Lumbar medial branch blocks at L3, L4 and L5", "facet", "lumbar"),
    _svc("Cervical facet injections at C4-5 and C5-6", "facet", "cervical"),
    _svc("Radiofrequency ablation bilateral L4-5 and L5-S1", "rfa", "lumbar"),
    _svc("Cervical radiofrequency rhizotomy C5-6", "rfa", "cervical"),
    _svc("Trigger point injections to the lumbar paraspinal muscles", "tpi", "lumbar"),
    _svc("Trigger point injection to the occipital region at site of pain generator", "tpi", "head"),
    _svc("Trigger point injections x 4 to the trapezius", "tpi", "cervical"),
    _svc("Right shoulder subacromial cortisone injection", "joint_inj", "shoulder"),
    _svc("Left knee corticosteroid injection", "joint_inj", "knee"),
    _svc("Right sacroiliac joint injection", "joint_inj", "lumbar"),
    _svc("Lateral epicondyle steroid injection", "joint_inj", "elbow"),
    _svc("Right carpal tunnel injection", "joint_inj", "wrist_hand"),
    _svc("Trochanteric bursa injection, right hip", "joint_inj", "hip"),
    _svc("Synvisc-One injection, left knee", "visco", "knee"),
    _svc("Series of 3 Orthovisc injections to the right knee", "visco", "knee"),
    _svc("Euflexxa injections x 3 bilateral knees", "visco", "knee"),
    _svc("Greater occipital nerve block", "nerve_block", "head"),
    _svc("Bilateral occipital nerve blocks under ultrasound guidance", "nerve_block", "head"),
    _svc("Platelet-rich plasma injection, right elbow", "joint_inj", "elbow"),
    _svc("Plantar fascia steroid injection", "joint_inj", "ankle_foot"),
    # imaging and diagnostics
    _svc("MRI of the lumbar spine without contrast", "imaging", "lumbar"),
    _svc("Repeat MRI lumbar spine", "imaging", "lumbar"), _svc("Lumbar spine x-rays, 5 views", "imaging", "lumbar"),
    _svc("CT scan of the lumbar spine", "imaging", "lumbar"),
    _svc("MRI of the cervical spine", "imaging", "cervical"), _svc("Cervical spine flexion/extension x-rays", "imaging", "cervical"),
    _svc("MRI of the right shoulder", "imaging", "shoulder"), _svc("MR arthrogram of the left shoulder", "imaging", "shoulder"),
    _svc("MRI of the left knee", "imaging", "knee"), _svc("Bilateral standing knee x-rays", "imaging", "knee"),
    _svc("MRI of the right wrist", "imaging", "wrist_hand"), _svc("MRI of the right hip", "imaging", "hip"),
    _svc("MRI of the right ankle", "imaging", "ankle_foot"), _svc("MRI of the brain", "imaging", "head"),
    _svc("Bone scan", "imaging", "general"), _svc("Diagnostic ultrasound of the right shoulder", "imaging", "shoulder"),
    _svc("EMG/NCV of the bilateral lower extremities", "emg", "lumbar"),
    _svc("EMG/NCS bilateral upper extremities", "emg", "cervical"),
    _svc("Nerve conduction study of the right upper extremity", "emg", "wrist_hand"),
    _svc("EMG of the left upper extremity", "emg", "elbow"),
    _svc("Functional capacity evaluation", "lab", "general"),
    _svc("Polysomnography (sleep study)", "imaging", "psych"),
    # therapy
    _svc("Physical therapy 2x6 for the lumbar spine", "therapy", "lumbar", "12 sessions"),
    _svc("Physical therapy 3x4 for the cervical spine", "therapy", "cervical", "12 sessions"),
    _svc("Additional physical therapy, 8 sessions, right shoulder", "therapy", "shoulder", "8 sessions"),
    _svc("Physical therapy twice a week for six weeks, left knee", "therapy", "knee", "12 sessions"),
    _svc("Occupational therapy 2x4 for the right wrist", "therapy", "wrist_hand", "8 sessions"),
    _svc("Aquatic therapy, 12 sessions", "therapy", "lumbar", "12 sessions"),
    _svc("Physical therapy, 6 visits, right elbow", "therapy", "elbow", "6 visits"),
    _svc("Physical therapy 2x3 for the right ankle", "therapy", "ankle_foot", "6 sessions"),
    _svc("Physical therapy for the hips, 10 sessions", "therapy", "hip", "10 sessions"),
    _svc("Work hardening program, 10 sessions", "therapy", "general", "10 sessions"),
    _svc("Massage therapy, 6 sessions", "therapy", "general", "6 sessions"),
    _svc("Chiropractic treatment 2x4 for the lumbar spine", "chiro", "lumbar", "8 visits"),
    _svc("Chiropractic manipulation, 12 visits, cervical spine", "chiro", "cervical", "12 visits"),
    _svc("Chiropractic care for the right knee, 6 sessions", "chiro", "knee", "6 sessions"),
    _svc("Acupuncture, 8 sessions", "acupuncture", "any", "8 sessions"),
    _svc("Acupuncture 2x6 for the low back", "acupuncture", "lumbar", "12 sessions"),
    _svc("Electroacupuncture with infrared, 12 sessions", "acupuncture", "any", "12 sessions"),
    _svc("Post-operative physical therapy, 12 sessions, right shoulder", "postop", "shoulder", "12 sessions"),
    _svc("Post-operative physical therapy for the left knee, 12 visits", "postop", "knee", "12 visits"),
    _svc("Postoperative occupational therapy for the right hand, 8 visits", "postop", "wrist_hand", "8 visits"),
    _svc("Extracorporeal shockwave therapy, right shoulder", "chiro", "shoulder"),
    # surgery
    _svc("L4-5 and L5-S1 posterior lumbar interbody fusion", "surgery", "lumbar"),
    _svc("Microdiscectomy at left L5-S1", "surgery", "lumbar"), _svc("L4-5 laminectomy and foraminotomy", "surgery", "lumbar"),
    _svc("Anterior cervical discectomy and fusion at C5-6 and C6-7", "surgery", "cervical"),
    _svc("Cervical disc arthroplasty at C5-6", "surgery", "cervical"),
    _svc("Right shoulder arthroscopy with subacromial decompression", "surgery", "shoulder"),
    _svc("Arthroscopic rotator cuff repair, left shoulder", "surgery", "shoulder"),
    _svc("Left knee arthroscopy with partial medial meniscectomy", "surgery", "knee"),
    _svc("Right total knee arthroplasty", "surgery", "knee"), _svc("Anterior cruciate ligament reconstruction, right knee", "surgery", "knee"),
    _svc("Right carpal tunnel release", "surgery", "wrist_hand"), _svc("Left trigger finger release", "surgery", "wrist_hand"),
    _svc("First dorsal compartment release, right wrist", "surgery", "wrist_hand"), _svc("Left ulnar nerve transposition", "surgery", "elbow"),
    _svc("Lateral epicondyle debridement, right elbow", "surgery", "elbow"), _svc("Right hip arthroscopy with labral repair", "surgery", "hip"),
    _svc("Left total hip arthroplasty", "surgery", "hip"), _svc("Plantar fascia release, right foot", "surgery", "ankle_foot"),
    _svc("Lateral ankle ligament reconstruction", "surgery", "ankle_foot"),
    _svc("Spinal cord stimulator trial", "scs", "lumbar"), _svc("Permanent spinal cord stimulator implantation", "scs", "lumbar"),
    _svc("Intrathecal pump trial", "scs", "general"),
    _svc("Pre-operative medical clearance", "postop", "any"), _svc("Post-operative cold therapy unit, 7-day rental", "postop", "any"),
    _svc("Assistant surgeon", "postop", "any"), _svc("Inpatient stay, 2 days", "postop", "any"),
    _svc("MRI of the thoracic spine", "imaging", "thoracic"), _svc("Thoracic epidural steroid injection at T8-9", "esi", "thoracic"),
    _svc("Physical therapy 2x4 for the thoracic spine", "therapy", "thoracic", "8 sessions"),
    _svc("Thoracic spine x-rays, 2 views", "imaging", "thoracic"), _svc("Kyphoplasty at T8", "surgery", "thoracic"),
    # DME
    _svc("TENS unit, purchase", "tens", "any"), _svc("TENS unit 30-day rental", "tens", "any"),
    _svc("H-wave device, home use", "tens", "any"), _svc("Interferential stimulator unit", "tens", "any"),
    _svc("Lumbar support brace", "dme", "lumbar"), _svc("LSO back brace", "dme", "lumbar"),
    _svc("Cervical traction unit for home use", "dme", "cervical"), _svc("Hinged knee brace, left", "dme", "knee"),
    _svc("Right wrist splint", "dme", "wrist_hand"), _svc("Continuous passive motion machine, 21 days", "dme", "knee"),
    _svc("Hot/cold therapy unit", "dme", "any"), _svc("Orthopedic mattress", "dme", "any"),
    _svc("Custom orthotics, bilateral", "dme", "ankle_foot"), _svc("Motorized scooter", "dme", "any"),
    _svc("Shower chair", "dme", "any"), _svc("Pneumatic compression device", "dme", "any"),
    # psych
    _svc("Cognitive behavioral therapy, 6 sessions", "psych", "psych", "6 sessions"),
    _svc("Psychotherapy, 12 sessions", "psych", "psych", "12 sessions"),
    _svc("Biofeedback, 6 sessions", "psych", "psych", "6 sessions"),
    _svc("Group psychotherapy, 8 sessions", "psych", "psych", "8 sessions"),
    _svc("Hypnotherapy, 6 sessions", "psych", "psych", "6 sessions"),
    _svc("Psychological evaluation", "psych_eval", "psych"), _svc("Psychological testing, 4 hours", "psych_eval", "psych"),
    _svc("Psychiatric consultation", "psych_eval", "psych"), _svc("Neuropsychological evaluation", "psych_eval", "head"),
    _svc("Functional restoration program, 160 hours", "frp", "general", "160 hours"),
    _svc("Multidisciplinary evaluation for a functional restoration program", "frp", "general"),
    _svc("HELP program, 4 weeks", "frp", "general", "4 weeks"),
    # home care and other services
    _svc("Home health care, 4 hours per day, 7 days per week", "home", "any"),
    _svc("Home health aide, 20 hours per week", "home", "any"), _svc("Housekeeping assistance, 8 hours per week", "home", "any"),
    _svc("Home care nursing evaluation", "home", "any"), _svc("Transportation to medical appointments", "home", "any"),
    _svc("Gym membership, 6 months", "dme", "any"), _svc("Weight loss program", "home", "any"),
]


def _citations(category: str, region: str) -> tuple[Citation, ...]:
    """The guideline chapters that govern a service, most specific first.

    Drug and interventional pain topics sit in the MTUS Chronic Pain guidelines;
    region-specific care in the ACOEM chapter for that body part (as adopted into the
    MTUS) and the ODG chapter; postsurgical care in the Post-Surgical Treatment
    Guidelines. ODG is cited for everything, as reviewers do."""
    cat = CATEGORY[category]
    reg = REGIONS.get(region, REGIONS["general"])
    out: list[Citation] = []
    if cat.uses_pstg:
        topic = "Postsurgical physical medicine" if reg.name == "general" else reg.body_part.capitalize()
        out.append(Citation("MTUS Post-Surgical Treatment Guidelines", "MTUS-PSTG", "MTUS", topic, ""))
    if cat.uses_cpmtg:
        out.append(Citation("MTUS Chronic Pain Medical Treatment Guidelines", "MTUS-CPMTG", "MTUS", cat.topic, cat.pages))
    if reg.acoem_chapter is not None and cat.group in ("imaging", "injections", "surgery", "therapy", "dme"):
        out.append(Citation(f"ACOEM Practice Guidelines, 2nd Edition (2004), Chapter {reg.acoem_chapter}", "MTUS-ACOEM",
                            "ACOEM", cat.topic, ""))
    chapter = reg.odg_chapter if cat.group not in ("drugs",) else "Pain"
    out.append(Citation(f"Official Disability Guidelines (ODG) {chapter} Chapter", "ODG", "ODG", cat.topic, ""))
    return tuple(out)


SERVICES: list[Service] = [
    Service(name, cat, region, qty, _citations(cat, region if region != "any" else "general"))
    for name, cat, region, qty in _SERVICES_RAW
]

# Boilerplate vocabularies.
SPECIALTIES = ("Board Certified in Physical Medicine and Rehabilitation", "Board Certified in Anesthesiology",
               "Board Certified in Orthopedic Surgery", "Board Certified in Neurology", "Board Certified in Family Practice",
               "Board Certified in Internal Medicine", "Board Certified in Occupational Medicine",
               "a Licensed Psychologist", "a Doctor of Chiropractic", "Board Certified in Psychiatry")
SUBSPECIALTIES = ("Pain Medicine", "Spine Surgery", "Sports Medicine", "Hand Surgery", "Electrodiagnostic Medicine", "")
STATES = ("California", "Texas", "Florida", "Arizona", "Oregon", "Washington", "Nevada", "New York", "Illinois",
          "Pennsylvania", "Maryland", "Colorado")
OCCUPATIONS = ("warehouse worker", "truck driver", "correctional officer", "registered nurse", "janitor", "cashier",
               "mechanic", "office assistant", "firefighter", "landscaper", "bus driver", "teacher", "carpenter",
               "machine operator", "home health aide", "police officer", "forklift operator", "cook")
MECHANISMS = ("lifting a heavy box", "a slip and fall at work", "a motor vehicle accident while on duty",
              "repetitive keyboard work", "pulling a pallet jack", "restraining an inmate", "transferring a patient",
              "falling from a ladder", "repetitive overhead work", "being struck by a falling object",
              "cumulative trauma over several years", "tripping over a hose")
TREATMENTS = ("physical therapy", "chiropractic care", "acupuncture", "medications", "a home exercise program",
              "activity modification", "epidural steroid injections", "a TENS unit", "psychotherapy", "bracing",
              "cortisone injections", "work restrictions")
DOCUMENTS = ("Application of Independent Medical Review", "Utilization Review Determination",
             "Employee medical records from the primary treating physician", "Medical records from the Claims Administrator",
             "Progress reports", "Orthopedic consultation report", "Pain management evaluation", "Physical therapy notes",
             "Qualified medical evaluator report", "Diagnostic imaging reports", "Operative report",
             "Psychological evaluation report", "Request for authorization", "Agreed medical evaluation",
             "Utilization review correspondence", "Electrodiagnostic study report")
SURNAMES = ("Alvarez", "Bennett", "Chen", "Dawson", "Esposito", "Fischer", "Gupta", "Hernandez", "Ibarra", "Jensen",
            "Kaur", "Lopez", "Morales", "Nguyen", "Okafor", "Patel", "Quinn", "Ramirez", "Singh", "Tran", "Underwood",
            "Vasquez", "Williams", "Xu", "Yamamoto", "Zimmerman")
MEDICAL_DIRECTORS = ("Paul Manchester, MD, MPH", "Richard Dickerson, MD", "Mark Sanders, MD")
