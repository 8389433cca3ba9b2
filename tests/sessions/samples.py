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
