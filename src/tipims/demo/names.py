"""Name parts for synthetic people: common Guatemalan given names and surnames, Spanish and Maya.

Combined at random they name nobody in particular. Names that appear in the reference cable (of real
officials and others) are left out on purpose; ``tests/demo`` checks that the demo uses none of them.
"""

GIVEN_FEMININE = """
María Ana Sofía Lucía Andrea Gabriela Daniela Valeria Fernanda Jennifer Heidy Sandra
Glenda Ingrid Karla Mayra Yesenia Wendy Evelyn Brenda Leticia Elena Paola Alejandra Mónica
Verónica Silvia Juana Francisca Dulce Esperanza Marisol Kimberly Nancy Lesly Rocío
Floridalma
""".split()
GIVEN_MASCULINE = """
José Juan Carlos Pedro Miguel Jorge Mario Edgar Byron Erick Kevin Brayan Marvin Selvin
Wilson Otto Hugo Rudy Álvaro Julio César Diego Fernando Manuel Francisco Antonio Rafael
Óscar Walter Henry Estuardo Gerson Cristian Josué Elmer
""".split()
SURNAMES = """
López García Pérez Hernández González Rodríguez Martínez Morales Ramírez Sánchez Cruz
Méndez Reyes Gómez Juárez Díaz Flores Ramos Vásquez Orellana Chávez Aguilar Mejía Ortiz
Marroquín Barrios Recinos Cifuentes Ajanel Xicará Tzoc Cutzal Chiquín Pop Caal Choc Coc
Tux Yat Batz Sic Velásquez Cardona Quiñónez Alvarado Sagastume Guzmán Escobar Arévalo
Solares Figueroa Paiz
""".split()
# Less common surnames, Spanish and Maya, for the linkage benchmark's frequency-weighted population
# (tipims.linkage.synthetic): after the commonest above, in rough order of frequency.
MORE_SURNAMES = """
Herrera Jiménez Ruiz Santos Salazar Mendoza Vargas Rivera Torres Castro Romero Navarro Muñoz
Gutiérrez Rojas Ortega Delgado Vega Soto Contreras Silva Campos Fuentes Cabrera Carrillo Pineda
Lemus Monzón Girón Godoy Samayoa Villatoro Maldonado Palacios Zepeda Dávila Galindo Ochoa Rosales
Montenegro Polanco Archila Arriaza Bautista Bonilla Calderón Cano Catalán Cordón Cuéllar Dubón
Escalante Gálvez Guerra Interiano Lima Lucero Mazariegos Molina Monroy Najarro Oliva Osorio Pacheco
Portillo Quevedo Rabanales Salguero Tobar Urízar Valdez Vicente Zamora Zelada
Ajú Ajpop Boc Cac Calel Canil Chen Chocooj Coy Cuc Cumes Cuxil Ixcoy Ixtabalán Jom Mucía Perén
Quej Quiroa Saquic Sisimit Tecún Tiul Tojín Toj Tum Tzul Xol Xuc Yoc Zacarías Chamalé Culajay
Ajtún Batén Cojtí Ixcot Lacán Matzir Mux Patzán Poz Raxón Sipac Tunay Xitumul Yaxón
""".split()
# Names of real people in the reference material: never to be generated.
EXCLUDED = frozenset(
    """
Alexander Altolaguirre Berger Briz Carmen Castillo Estrada Luis Marta Marylin Monterroso Rosa Stein Vicky
    """.split()
)
