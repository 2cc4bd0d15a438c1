"""The institutions of the demo, modelled on those the reference cable describes, and the demo users."""

from tipims.accounts.roles import Role

INSTITUTIONS = [
    # code, name, short name, HTCDS org_Type
    (
        "secretaria-cit",
        "Secretaría de la Comisión Interinstitucional contra la Trata de Personas",
        "Comisión",
        "CentralGovernmentOrganisation",
    ),
    (
        "mp-fiscalia-trata",
        "Ministerio Público – Unidad Fiscal contra la Trata de Personas",
        "MP Trata",
        "LegalService",
    ),
    ("pnc", "Policía Nacional Civil", "PNC", "LawEnforcement"),
    ("pnc-orp", "Oficina de Responsabilidad Profesional de la PNC", "PNC ORP", "LawEnforcement"),
    ("dgm", "Dirección General de Migración", "Migración", "ImmigrationService"),
    ("sbs", "Secretaría de Bienestar Social de la Presidencia", "SBS", "CentralGovernmentOrganisation"),
    ("casa-alianza", "Casa Alianza Guatemala", "Casa Alianza", "NGO"),
    ("ecpat", "ECPAT Guatemala", "ECPAT", "NGO"),
    ("pgn", "Procuraduría General de la Nación", "PGN", "LegalService"),
    ("oj", "Organismo Judicial", "OJ", "LegalService"),
    ("mintrab", "Ministerio de Trabajo y Previsión Social", "MINTRAB", "CentralGovernmentOrganisation"),
    ("minex", "Ministerio de Relaciones Exteriores", "MINEX", "CentralGovernmentOrganisation"),
    ("oim", "Organización Internacional para las Migraciones", "OIM", "NGO"),
    (
        "estadistica-cit",
        "Unidad de Estadística de la Comisión",
        "Estadística",
        "CentralGovernmentOrganisation",
    ),
    ("pdh", "Procuraduría de los Derechos Humanos – Supervisión", "PDH", "CentralGovernmentOrganisation"),
    (
        "informatica-cit",
        "Unidad de Informática de la Comisión",
        "Informática",
        "CentralGovernmentOrganisation",
    ),
]

# One demo user per role, named after the role, in the institution where that role works.
DEMO_USERS = [
    (Role.COORDINATOR, "secretaria-cit"),
    (Role.PROSECUTOR, "mp-fiscalia-trata"),
    (Role.INVESTIGATOR, "pnc"),
    (Role.BORDER_OFFICER, "dgm"),
    (Role.CASEWORKER, "sbs"),
    (Role.MONITOR, "casa-alianza"),
    (Role.INTEGRITY_OFFICER, "pnc-orp"),
    (Role.ANALYST, "estadistica-cit"),
    (Role.AUDITOR, "pdh"),
    (Role.ADMIN, "informatica-cit"),
]
