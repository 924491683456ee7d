"""Realistic Explore themes of two stakeholder groups for the series tests: equal titles
that mean different things, and different words that mean the same.

Each entry is (title, [notes]); the notes are written as people type them at a café table.
"""

# Birth parents and families.
BIRTH_PARENTS = [
    (
        "Allowance",
        [
            "we are only allowed one hour of supervised contact every two weeks",
            "the contact centre wouldnt let me bring a birthday cake for my son",
            "I am not allowed to phone my daughter, only write a letter once a year",
        ],
    ),
    (
        "School",
        [
            "nobody from the school tells me how my son is getting on since he went into care",
            "the foster carer goes to parents evening and I am not even told when it is",
            "I asked for his school reports and was told I have no right to see them",
        ],
    ),
    (
        "Meetings",
        [
            "at the child protection conference they all talked about me as if I wasnt in the room",
            "nobody asked me what I thought my kids needed, the plan was decided before I sat down",
            "I felt judged before I opened my mouth, professionals had already made their minds up",
        ],
    ),
]

# Kinship, foster and adoptive carers.
CARERS = [
    (
        "Allowance",
        [
            "nobody told me I could ask for a kinship allowance, I found out from another nan",
            "foster carers get paid twice what we get for looking after the same children",
            "I gave up my job to take in my grandchildren and we live on next to nothing",
        ],
    ),
    (
        "School",
        [
            "the school keeps excluding him and doesnt understand he is a child in care",
            "teachers need training in trauma, his behaviour at school is about what happened to him",
            "the virtual school head has never once come to a meeting about her",
        ],
    ),
    (
        "Carers and evenings",
        [
            "all the training for carers is in the daytime when I am at work",
            "evening and online sessions so that working carers can actually attend",
            "the support group only meets at 11 on a tuesday morning, no good if you work",
        ],
    ),
    (
        "Reviews",
        [
            "at the looked after review the professionals decide everything and we just sit there",
            "they never ask the carers what the child is really like at home",
            "I was spoken about, not spoken to, and the decision was made before the review started",
        ],
    ),
]
