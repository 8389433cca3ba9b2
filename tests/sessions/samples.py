"""Interchange documents for tests, built fresh each time so a test may spoil its own copy."""


def valid_document():
    return {
        "format": "sms-tool.session/1",
        "learning_community": {
            "name": "Smart Industry Lab",
            "sector": "Techniek",
            "setting": "public-private",
            "start_year": 2016,
            "coordinators": [{"email": "coord@example.org", "name": "C. Oordinator"}],
        },
        "session": {
            "title": "Evaluatie voorjaar 2026",
            "date": "2026-03-12",
            "phase": "dialogue",
            "facilitators": [{"email": "fac@example.org", "name": "F. Acilitator"}],
        },
        "organisations": [
            {
                "name": "Fontys ICT",
                "partner_type": "education",
                "members": [{"email": "a@example.org", "name": "A. Member"}],
                "submitted": True,
                "answers": [
                    {
                        "motive": "development.teachers",
                        "applies": True,
                        "intended_outcome": "Docenten leren mee",
                    },
                    {
                        "motive": "capital.network",
                        "applies": True,
                        "intended_outcome": "Netwerk 🌍 <b>groter</b>",
                    },
                    {"motive": "capital.financial", "applies": False, "intended_outcome": ""},
                ],
                "other_motives": [
                    {
                        "cluster": "capital",
                        "text": "Stageplaatsen",
                        "intended_outcome": "Tien plekken",
                    }
                ],
            },
            {
                "name": "Machinefabriek Oost",
                "partner_type": "practice",
                "members": [
                    {"email": "b@example.org", "name": "B. Member"},
                    {"email": "c@example.org", "name": "C. Member"},
                ],
                "submitted": False,
                "answers": [
                    {
                        "motive": "development.practice-partners",
                        "applies": True,
                        "intended_outcome": "مرحبا",
                    },
                    {"motive": "capital.network", "applies": False, "intended_outcome": ""},
                ],
                "other_motives": [
                    {"cluster": None, "text": "Nieuwsgierigheid", "intended_outcome": ""}
                ],
            },
        ],
        "joint_motives": [
            {"motive": "development.students", "text": "", "intended_outcome": "Authentiek leren"},
            {"motive": None, "text": "Samen de regio versterken", "intended_outcome": "Meer banen"},
        ],
        "agreements": [
            {"text": "Kwartaaloverleg plannen", "owner": "C. Oordinator", "due": "2026-06-01"},
            {"text": "Evaluatie in het najaar", "owner": "", "due": None},
        ],
    }


def document_with_every_optional_key():
    """The valid document with every optional key of issue 14 (INTERCHANGE.md "Optional keys")."""
    document = valid_document()
    document["organisations"][1]["submitted"] = True
    fontys, machinefabriek = document["organisations"]
    fontys["participants"] = [
        {"name": "J. Jansen", "role": "manager"},
        {"name": "K. de Vries", "role": "staff"},
        {"name": "L. Lid", "role": "other"},
    ]
    fontys["open_motives"] = "In onze eigen woorden: we willen dat studenten echt werk doen."
    fontys["answers"][0]["priority"] = 2
    fontys["answers"][1]["priority"] = 1
    fontys["offers"] = ["Toegang tot ons testlab", "Studenten die kunnen programmeren"]
    fontys["needs"] = ["Opdrachten uit de praktijk"]
    fontys["outcome_reviews"] = [
        {"motive": "development.teachers", "status": "partly", "evidence": "Twee docenten"},
        {"motive": "capital.network", "status": "realised", "evidence": ""},
    ]
    machinefabriek["participants"] = [{"name": "M. Manager", "role": "manager"}]
    machinefabriek["answers"][0]["priority"] = 3
    machinefabriek["offers"] = ["Opdrachten uit de praktijk voor studenten"]
    machinefabriek["needs"] = ["Studenten die PLC's kunnen programmeren"]
    machinefabriek["outcome_reviews"] = [
        {"motive": "capital.network", "status": "not", "evidence": "Geen tijd gehad"}
    ]
    document["joint_motives"][0]["votes"] = 7
    document["joint_motives"][0]["consent"] = [
        {"organisation": "Fontys ICT", "position": "agree", "reason": ""},
        {"organisation": "Machinefabriek Oost", "position": "object", "reason": "Te vaag"},
    ]
    document["joint_motives"][1]["votes"] = 0
    document["joint_motives"][1]["consent"] = [
        {"organisation": "Machinefabriek Oost", "position": "abstain", "reason": ""}
    ]
    document["agreements"][0]["serves"] = ["joint:0", "joint:1", "capital.network"]
    document["agreements"][0]["consent"] = [
        {"organisation": "Fontys ICT", "position": "object", "reason": "Te vaak"},
        {"organisation": "Machinefabriek Oost", "position": "agree", "reason": ""},
    ]
    document["agreements"][1]["serves"] = ["development.teachers"]
    return document
