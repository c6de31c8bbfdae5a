"""Names for synthetic people: plausibly British, from many backgrounds.

Given and family names are drawn from the same background so that a name
reads naturally; every combination is random and none describes a real
person. Older people get names common in their generation, younger adults
and care workers names common in theirs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Background:
    older_female: tuple[str, ...]
    older_male: tuple[str, ...]
    younger_female: tuple[str, ...]
    younger_male: tuple[str, ...]
    family: tuple[str, ...]


def _t(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ENGLISH = Background(
    older_female=_t(
        "Margaret Joan Dorothy Betty Jean Irene Doreen Brenda Barbara Patricia Sheila Maureen "
        "Eileen Kathleen Elsie Edna Hilda Mavis Audrey Sylvia Pauline Valerie Shirley Marjorie "
        "Phyllis Nora Winifred Ivy Ada Gladys Beryl Vera Freda June Rita Marion Mary Elizabeth "
        "Ann Christine Evelyn Lilian Annie Constance Olive Norma Joyce Jennifer"
    ),
    older_male=_t(
        "John William George Harold Arthur Albert Kenneth Dennis Ronald Frank Jack Thomas James "
        "Robert Alan Brian Derek Norman Stanley Eric Walter Leslie Raymond Peter David Michael "
        "Bernard Cyril Sidney Fred Geoffrey Gordon Keith Roy Trevor Colin Maurice Clifford Jim"
    ),
    younger_female=_t(
        "Sarah Emma Laura Rebecca Gemma Leanne Amy Hannah Nicole Chantelle Jade Stacey Kelly "
        "Lisa Joanne Claire Rachel Danielle Katie Charlotte Megan Lauren Sophie Holly Natalie"
    ),
    younger_male=_t(
        "Daniel Ryan Jamie Liam Connor Lewis Jordan Nathan Craig Darren Lee Mark Paul Adam "
        "Matthew Luke Ben Sam Tom Joshua Kieran Gareth Dean Carl"
    ),
    family=_t(
        "Hargreaves Ashworth Holden Pilkington Entwistle Haworth Duckworth Aspinall Clegg "
        "Whittaker Greenwood Kenyon Brindle Crossley Sutcliffe Marsden Tattersall Walmsley "
        "Ormerod Cunliffe Lord Riley Taylor Smith Jones Wilson Brown Thompson Shaw Barnes "
        "Fletcher Hindle Birtwistle Nuttall Holt Howarth Jackson Wood Harrison Parkinson Bamber "
        "Singleton Banks Cookson Threlfall Rawcliffe Catterall Sharples Worden Hartley Leach "
        "Slater Heys Eccles Fielding Pickup Cronshaw Bibby Livesey Rigby Dewhurst"
    ),
)

SCOTTISH = Background(
    older_female=_t(
        "Margaret Agnes Isobel Elspeth Morag Janet Jessie Jean Helen Catherine Christina Effie "
        "Euphemia Marion Williamina Georgina Annie Elizabeth Mary Nan Sadie Betty Moira Sheena "
        "Ishbel Rena Senga Alison Grace Violet"
    ),
    older_male=_t(
        "Alexander Angus Hamish Douglas Ian Malcolm Hugh Iain Archibald Duncan Alistair Murdo "
        "Kenneth Robert James William John Thomas Andrew David George Gordon Neil Colin Donald "
        "Lachlan Ewan Fergus Walter Bert"
    ),
    younger_female=_t(
        "Ailsa Eilidh Morven Fiona Catriona Kirsty Shona Iona Rhona Mhairi Lorna Gillian "
        "Shauna Nicola Rachel Amy Laura Erin Caitlin Rebecca Gemma Lynsey"
    ),
    younger_male=_t(
        "Callum Euan Fraser Ross Scott Craig Grant Kyle Ruaridh Calum Andrew Stuart Gregor "
        "Jamie Liam Ryan Darren Barry Graeme Lewis"
    ),
    family=_t(
        "Campbell MacDonald Stewart Robertson Thomson Anderson Scott Murray Reid Ross Paterson "
        "Fraser Hamilton Kerr Crawford Gray Wallace Cunningham Brodie Baird Laidlaw Wight Hogg "
        "Bell Dunlop Haig Johnstone Lauder Seton Cockburn Hepburn Borthwick Dalgleish Cranston "
        "Sinclair Mackay Mackenzie Ferguson Henderson Ritchie Morrison Gillespie Swanston "
        "Tait Brown Watson Young Pringle Lumsden Nisbet Purves Dickson Darling Kinnear"
    ),
)

IRISH = Background(
    older_female=_t("Bridget Kathleen Mary Teresa Eileen Maureen Nora Sheila Philomena Bernadette"),
    older_male=_t("Patrick Michael Seamus Sean Joseph Francis Brendan Dermot Kevin Gerard"),
    younger_female=_t("Siobhan Niamh Aoife Ciara Orla Roisin Grainne Aisling"),
    younger_male=_t("Conor Ciaran Declan Eoin Niall Padraig Cormac Darragh"),
    family=_t(
        "O'Brien Murphy Byrne Doherty Kelly Walsh O'Neill Gallagher McCarthy Quinn Brennan "
        "Duffy Flanagan Connolly Donnelly Kavanagh"
    ),
)

SOUTH_ASIAN = Background(
    older_female=_t(
        "Zubeda Khadija Fatima Rashida Bilquis Nasreen Parveen Shamim Hajra Kulsum Sakina "
        "Gurmeet Harbans Kamla Savita Hansa Jasvinder Surinder Mumtaz Zarina Ayesha Rukhsana"
    ),
    older_male=_t(
        "Mohammed Abdul Ghulam Yusuf Ibrahim Iqbal Mahmood Rashid Bashir Gurdev Harjit Mohinder "
        "Ramesh Pravin Ismail Ahmed Yakub Dilip Mukesh Hanif Nazir Sadiq"
    ),
    younger_female=_t(
        "Zainab Aisha Amina Priya Anjali Simran Sana Hina Maryam Nadia Saima Farah Reena Pooja "
        "Shabana Tasneem Safiya Jasmin Humaira"
    ),
    younger_male=_t(
        "Imran Hassan Bilal Arjun Rohan Adil Zubair Faisal Kamran Asif Sajid Tariq Vikram "
        "Nikhil Usman Irfan Javed"
    ),
    family=_t(
        "Patel Khan Hussain Ahmed Akhtar Mahmood Iqbal Ali Shah Bhatti Desai Mistry Chauhan "
        "Lad Vaghela Rahman Sidat Kazi Mulla Valli Bux Ravat Sandhu Gill Dhillon Sharma "
        "Singh Chaudhry Malik"
    ),
)

POLISH = Background(
    older_female=_t("Halina Krystyna Danuta Zofia Irena Barbara Teresa Jadwiga"),
    older_male=_t("Tadeusz Zbigniew Jerzy Stanislaw Kazimierz Jan Andrzej Henryk"),
    younger_female=_t("Agnieszka Katarzyna Magdalena Joanna Monika Justyna Ewa Marta Natalia"),
    younger_male=_t("Tomasz Piotr Marcin Pawel Lukasz Krzysztof Michal Jakub"),
    family=_t("Nowak Mazur Krawczyk Kaczmarek Wozniak Sobczak Pawlak Michalak Wrobel Dudek"),
)

CARIBBEAN = Background(
    older_female=_t("Gloria Hyacinth Myrtle Cynthia Pearline Icilda Merle Hortense Enid"),
    older_male=_t("Winston Clifton Errol Lloyd Delroy Cecil Linton Rupert Neville"),
    younger_female=_t("Shanice Tanisha Keisha Monique Chelsea Aaliyah"),
    younger_male=_t("Tyrone Jermaine Marcus Dwayne Andre Leon"),
    family=_t("Francis Henry Clarke Grant Morgan Campbell Williams Bailey Robinson Edwards"),
)

WEST_AFRICAN = Background(
    older_female=_t("Comfort Grace Patience Felicia Abena Adwoa"),
    older_male=_t("Kofi Kwame Emmanuel Samuel Olusegun Festus"),
    younger_female=_t("Blessing Chioma Ngozi Precious Funmilayo Adaeze Esi Abimbola Joy"),
    younger_male=_t("Emeka Tunde Chinedu Kwabena Femi Yaw Obinna"),
    family=_t("Okafor Mensah Adeyemi Okoro Boateng Asante Nwosu Owusu Adebayo Eze Oyelaran"),
)

KERALAN = Background(
    older_female=_t("Mariamma Aleyamma Annamma Rosamma"),
    older_male=_t("Varghese Mathai Chacko Kuriakose"),
    younger_female=_t("Jincy Neethu Reshma Anju Liya Merin Sneha Tintu Bincy"),
    younger_male=_t("Jibin Ajith Sijo Tojo Binu Arun Jomon"),
    family=_t("Thomas Joseph George Varghese Kurian Mathew Jacob Philip Abraham Chacko"),
)

FILIPINO = Background(
    older_female=_t("Erlinda Corazon Teresita Remedios"),
    older_male=_t("Rodrigo Ernesto Danilo Eduardo"),
    younger_female=_t("Maricel Lovely Jenalyn Rowena Aileen Kristine Mylene"),
    younger_male=_t("Jomar Reynaldo Mark Jericho Arnel"),
    family=_t("Santos Reyes Bautista Mendoza Villanueva Ramos Garcia Aquino Navarro"),
)

EAST_ASIAN = Background(
    older_female=_t("Mei Lai Siu Yuk Wai"),
    older_male=_t("Wing Kwok Man Chun Hung"),
    younger_female=_t("Mei Lin Jia Xiu Wen"),
    younger_male=_t("Wei Jun Hao Kai Ming"),
    family=_t("Chan Wong Li Cheung Lau Ng Leung Chen"),
)

ITALIAN_SCOTS = Background(
    older_female=_t("Lina Gina Rosa Maria Giovanna Carla"),
    older_male=_t("Giuseppe Mario Aldo Dante Renato Luigi"),
    younger_female=_t("Francesca Giulia Sofia Chiara"),
    younger_male=_t("Marco Luca Paolo Stefano"),
    family=_t("Rossi Coia Valente Crolla Nardini Forte Conetta Bernardi Demarco"),
)

# Mixes of backgrounds, by weight: who lives in the area, and who works in care.
LANCASHIRE_PEOPLE = [
    (ENGLISH, 66),
    (SOUTH_ASIAN, 20),
    (IRISH, 5),
    (POLISH, 3),
    (CARIBBEAN, 2),
    (SCOTTISH, 2),
    (EAST_ASIAN, 1),
    (ITALIAN_SCOTS, 1),
]
LANCASHIRE_WORKERS = [
    (ENGLISH, 45),
    (SOUTH_ASIAN, 18),
    (POLISH, 8),
    (WEST_AFRICAN, 8),
    (KERALAN, 8),
    (FILIPINO, 5),
    (IRISH, 3),
    (CARIBBEAN, 3),
    (SCOTTISH, 2),
]
EAST_LOTHIAN_PEOPLE = [
    (SCOTTISH, 74),
    (ENGLISH, 11),
    (IRISH, 5),
    (ITALIAN_SCOTS, 4),
    (POLISH, 3),
    (SOUTH_ASIAN, 2),
    (EAST_ASIAN, 1),
]
EAST_LOTHIAN_WORKERS = [
    (SCOTTISH, 55),
    (POLISH, 10),
    (ENGLISH, 8),
    (WEST_AFRICAN, 8),
    (KERALAN, 8),
    (FILIPINO, 6),
    (IRISH, 3),
    (SOUTH_ASIAN, 2),
]

TITLES_FEMALE = ["Mrs", "Mrs", "Mrs", "Miss", "Ms"]
TITLES_MALE = ["Mr"]


def pick_background(rng: random.Random, mix: list[tuple[Background, int]]) -> Background:
    backgrounds, weights = zip(*mix, strict=True)
    return rng.choices(backgrounds, weights=weights)[0]


def given_name(rng: random.Random, background: Background, *, female: bool, older: bool) -> str:
    if older:
        pool = background.older_female if female else background.older_male
    else:
        pool = background.younger_female if female else background.younger_male
    return rng.choice(pool)


def family_name(rng: random.Random, background: Background) -> str:
    return rng.choice(background.family)
