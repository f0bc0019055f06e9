"""Profiles written in the hub's own language and script: the first hub of each city where
Ukrainian, Greek, Portuguese or Latvian is spoken (Kharkiv, Lviv, Thessaloniki, Porto,
Riga...) writes these services and needs in it (its other entries stay in English, as
mixed profiles are), so the
demo shows texts in several languages side by side and the engine matching across them."""

from __future__ import annotations

# language -> category -> (title, description)
LOCAL_SERVICES: dict[str, dict[str, tuple[str, str]]] = {
    "uk": {
        "coworking": (
            "Коворкінг у колишньому цеху",
            "Тридцять робочих місць і вісім окремих студій, цілодобовий доступ, швидкий "
            "інтернет і спільна кухня; денний абонемент коштує 150 гривень.",
        ),
        "fablab": (
            "Майстерня цифрового виробництва",
            "Лазерний різак, три 3D-принтери і фрезерний верстат з ЧПК; щотижневі інструктажі "
            "з безпеки для нових учасників.",
        ),
        "residency": (
            "Резиденція для менеджерів культури",
            "Дві кімнати для резидентів на місяць-два, з робочим місцем у коворкінгу і "
            "наставником з нашої команди.",
        ),
    },
    "el": {
        "coworking": (
            "Χώρος συνεργασίας στο λιμάνι",
            "Σαράντα θέσεις εργασίας και δέκα ιδιωτικά στούντιο, πρόσβαση όλο το 24ωρο και "
            "κοινή κουζίνα με θέα στη θάλασσα.",
        ),
        "fablab": (
            "Εργαστήριο ψηφιακής κατασκευής",
            "Κόφτης λέιζερ, εκτυπωτές 3D και ξυλουργείο, με εβδομαδιαία μαθήματα ασφαλείας "
            "για τα νέα μέλη.",
        ),
        "residency": (
            "Φιλοξενία καλλιτεχνών και διαχειριστών",
            "Δύο δωμάτια για φιλοξενία έως δύο μηνών, με θέση εργασίας και μέντορα από την "
            "ομάδα μας.",
        ),
    },
    "pt": {
        "coworking": (
            "Cowork numa antiga fábrica de conservas",
            "Trinta secretárias e oito estúdios privados, acesso 24 horas, fibra e cozinha "
            "partilhada; o passe diário custa 12 euros.",
        ),
        "fablab": (
            "Oficina de fabrico digital",
            "Cortadora laser, três impressoras 3D e uma fresadora CNC, com formações semanais "
            "de segurança para novos membros.",
        ),
        "residency": (
            "Residências para gestores culturais",
            "Dois quartos para residências de um a dois meses, com secretária no cowork e "
            "acompanhamento da nossa equipa.",
        ),
    },
    "lv": {
        "coworking": (
            "Koprades telpa bijušajā rūpnīcā",
            "Trīsdesmit darba vietas un astoņas privātas studijas, piekļuve visu diennakti un "
            "kopīga virtuve.",
        ),
        "fablab": (
            "Digitālās ražošanas darbnīca",
            "Lāzergriezējs, trīs 3D printeri un CNC frēze, ar iknedēļas drošības apmācībām "
            "jaunajiem biedriem.",
        ),
        "residency": (
            "Rezidences kultūras vadītājiem",
            "Divas istabas rezidencēm uz vienu līdz diviem mēnešiem, ar darba vietu un mentoru "
            "no mūsu komandas.",
        ),
    },
}

LOCAL_NEEDS: dict[str, dict[str, tuple[str, str]]] = {
    "uk": {
        "funding": (
            "Як отримати європейське фінансування",
            "Ми хочемо навчитися готувати заявки до програми «Креативна Європа» і шукаємо "
            "хаби, які вже мають такий досвід.",
        ),
        "internationalisation": (
            "Партнери для міжнародних проєктів",
            "Шукаємо хаби в інших країнах для спільних резиденцій і обміну митцями.",
        ),
    },
    "el": {
        "funding": (
            "Ευρωπαϊκή χρηματοδότηση",
            "Θέλουμε να μάθουμε πώς να γράφουμε αιτήσεις για το πρόγραμμα Δημιουργική Ευρώπη.",
        ),
        "internationalisation": (
            "Διεθνείς συνεργασίες",
            "Αναζητούμε κόμβους σε άλλες χώρες για κοινά προγράμματα φιλοξενίας.",
        ),
    },
    "pt": {
        "funding": (
            "Financiamento europeu",
            "Queremos aprender a preparar candidaturas ao programa Europa Criativa com hubs "
            "que já o fizeram.",
        ),
        "internationalisation": (
            "Parceiros internacionais",
            "Procuramos hubs noutros países para residências conjuntas e intercâmbio de artistas.",
        ),
    },
    "lv": {
        "funding": (
            "Eiropas finansējums",
            "Vēlamies iemācīties sagatavot pieteikumus programmai Radošā Eiropa.",
        ),
        "internationalisation": (
            "Starptautiski partneri",
            "Meklējam centrus citās valstīs kopīgām rezidencēm un mākslinieku apmaiņai.",
        ),
    },
}
