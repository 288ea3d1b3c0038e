"""Clinical terms the lexicon component adds when the trained ner leaves them untagged.

Two sources: the generator's region lexicons (conditions, exam, normal and imaging
findings), and the general terms below, which reviewers use in guideline quotations
and criteria ("in the absence of radiculopathy", "recommended for neuropathic pain")
where generated letters rarely mark entities. Labels follow taxonomy section 5: a
diagnosis or reported symptom is a CONDITION, what an examiner or a test observes is
a FINDING.
"""

GENERAL_CONDITIONS = (
    "radiculopathy", "radiculitis", "radicular pain", "radicular symptoms", "sciatica", "myelopathy", "neuropathy",
    "peripheral neuropathy", "neuropathic pain", "chronic pain", "chronic pain syndrome", "low back pain",
    "chronic low back pain", "back pain", "neck pain", "shoulder pain", "knee pain", "hip pain", "wrist pain",
    "elbow pain", "ankle pain", "foot pain", "hand pain", "headache", "headaches", "migraine", "migraines",
    "breakthrough pain", "depression", "major depressive disorder", "depressive disorder", "anxiety",
    "anxiety disorder", "generalized anxiety disorder", "insomnia", "sleep disturbance", "sleep disorder", "ptsd",
    "post-traumatic stress disorder", "adjustment disorder", "fracture", "fractures", "dislocation", "infection",
    "tumor", "malignancy", "cancer", "osteoarthritis", "arthritis", "degenerative joint disease", "rheumatoid arthritis",
    "spondylolisthesis", "spondylosis", "spinal stenosis", "lumbar stenosis", "cervical stenosis",
    "myofascial pain syndrome", "myofascial pain", "fibromyalgia", "carpal tunnel syndrome", "cubital tunnel syndrome",
    "trigger finger", "de quervain's tenosynovitis", "lateral epicondylitis", "medial epicondylitis",
    "rotator cuff tear", "rotator cuff tendinitis", "impingement syndrome", "adhesive capsulitis", "frozen shoulder",
    "meniscus tear", "meniscal tear", "acl tear", "chondromalacia", "chondromalacia patella", "plantar fasciitis",
    "complex regional pain syndrome", "crps", "reflex sympathetic dystrophy", "gastritis", "gerd",
    "gastroesophageal reflux disease", "gi bleeding", "gastrointestinal bleeding", "peptic ulcer", "ulcer",
    "dyspepsia", "gi symptoms", "gi upset", "heartburn", "hypertension", "diabetes", "diabetes mellitus", "obesity",
    "opioid dependence", "opioid use disorder", "opioid-induced constipation", "constipation", "nausea", "sedation",
    "numbness", "tingling", "numbness and tingling", "paresthesias", "paresthesia", "cauda equina syndrome",
    "failed back surgery syndrome", "post-laminectomy syndrome", "disc herniation", "herniated disc",
    "herniated nucleus pulposus", "degenerative disc disease", "facet arthropathy", "facet syndrome",
    "facet joint pain", "sacroiliitis", "sacroiliac joint dysfunction", "tendinitis", "tendonitis", "tenosynovitis",
    "bursitis", "sprain", "strain", "lumbar strain", "cervical strain", "contusion", "concussion",
    "post-concussion syndrome", "post-concussive syndrome", "tinnitus", "vertigo", "dizziness", "cognitive impairment",
    "memory loss", "occipital neuralgia", "neuralgia", "myalgia", "myositis", "allodynia", "muscle spasms",
    "spasticity", "lymphedema", "deep vein thrombosis", "dvt", "chronic regional pain syndrome", "whiplash",
    "cervicogenic headache", "thoracic outlet syndrome", "osteoporosis", "nonunion", "delayed union",
    "avascular necrosis", "labral tear", "hip labral tear", "ganglion cyst", "ulnar neuropathy",
    "median neuropathy", "mechanical symptoms", "locking", "catching", "giving way", "instability symptoms",
)

GENERAL_FINDINGS = (
    "effusion", "joint effusion", "crepitus", "instability", "atrophy", "muscle atrophy", "tenderness",
    "paraspinal tenderness", "paraspinal spasm", "muscle spasm", "spasm", "swelling", "edema", "weakness",
    "motor weakness", "focal weakness", "positive straight leg raise", "negative straight leg raise",
    "straight leg raise", "decreased range of motion", "limited range of motion", "reduced range of motion",
    "restricted range of motion", "full range of motion", "decreased sensation", "diminished sensation",
    "sensory deficit", "dermatomal sensory deficit", "reflex change", "reflex changes", "diminished reflexes",
    "decreased reflexes", "absent reflexes", "hyperreflexia", "positive tinel's sign", "positive phalen's test",
    "positive tinel's", "positive phalen's", "positive spurling's test", "positive spurling's", "positive mcmurray's test",
    "positive impingement sign", "positive hawkins", "positive neer", "positive drawer sign", "positive lachman",
    "antalgic gait", "normal gait", "twitch response", "trigger points", "taut band", "taut bands", "hyperalgesia",
    "foraminal stenosis", "foraminal narrowing", "disc bulge", "disc protrusion", "disc extrusion", "annular tear",
    "nerve root compression", "nerve root impingement", "canal stenosis", "central canal stenosis",
    "facet hypertrophy", "disc desiccation", "normal strength", "intact sensation", "normal sensation",
    "normal reflexes", "symmetric reflexes", "clonus", "positive babinski", "guarding", "positive faber",
    "positive patrick's test", "positive slump test", "negative slump test", "positive finkelstein's test",
    "joint line tenderness", "trigger point", "palpable trigger points", "radicular findings", "neurologic deficit",
    "neurological deficit", "focal neurologic deficit", "progressive neurologic deficit", "red flags",
)
