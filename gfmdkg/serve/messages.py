"""French and Spanish translations of the page strings: English message id -> {"fr": ..., "es": ...}.

Every string the templates and the page-building Python mark with ``_()``/``N_()``/``ngettext()`` must be here in
both languages (tests/test_i18n.py extracts them with Babel and checks). Wording follows UN/IOM usage where there is
one (e.g. "Pacte mondial", "envois de fonds", "remesas").
"""

from __future__ import annotations


def _t(fr: str, es: str) -> dict[str, str]:
    return {"fr": fr, "es": es}


CATALOGUE: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- frame: navigation, footer, switch
    "Skip to content": _t("Aller au contenu", "Ir al contenido"),
    "Migration and development knowledge graph": _t("Graphe de connaissances migrations et développement",
                                                    "Grafo de conocimiento sobre migración y desarrollo"),
    "Main": _t("Navigation principale", "Navegación principal"),
    "Language": _t("Langue", "Idioma"),
    "Built from the GFMD 2014 Roundtable 3 documents. Data under CC BY 4.0.": _t(
        "Construit à partir des documents de la table ronde 3 du FMMD 2014. Données sous licence CC BY 4.0.",
        "Elaborado a partir de los documentos de la mesa redonda 3 del FMMD 2014. Datos bajo licencia CC BY 4.0."),
    "read-only SPARQL endpoint": _t("point d'accès SPARQL en lecture seule", "punto de acceso SPARQL de solo lectura"),
    "ontology": _t("ontologie", "ontología"),
    "vocabularies": _t("vocabulaires", "vocabularios"),
    "Home": _t("Accueil", "Inicio"),
    "Practices": _t("Pratiques", "Prácticas"),
    "Findings": _t("Constats", "Hallazgos"),
    "Recommendations": _t("Recommandations", "Recomendaciones"),
    "Organisations": _t("Organisations", "Organizaciones"),
    "Countries": _t("Pays", "Países"),
    "Origin": _t("Origine", "Origen"),
    "All": _t("Toutes", "Todas"),
    "Curated": _t("Établies par les curateurs", "Establecidas por los curadores"),
    "Contributed (gfmdkg add)": _t("Contributions (gfmdkg add)", "Contribuciones (gfmdkg add)"),
    "curated only": _t("curateurs uniquement", "solo curadores"),
    "contributed only": _t("contributions uniquement", "solo contribuciones"),
    "contributed, %(status)s": _t("contribution, %(status)s", "contribución, %(status)s"),
    "not yet reviewed": _t("pas encore examinée", "aún no revisada"),
    "accepted": _t("acceptée", "aceptada"),
    "rejected": _t("rejetée", "rechazada"),
    "an unnamed contributor": _t("un contributeur non nommé", "un contribuidor sin nombre"),
    "Contributed by %(name)s": _t("Contribution de %(name)s", "Contribución de %(name)s"),
    "on %(date)s": _t("le %(date)s", "el %(date)s"),
    "by %(name)s": _t("par %(name)s", "por %(name)s"),
    "Its statements are the contributor's, not the curators'.": _t(
        "Ses énoncés sont ceux du contributeur, non ceux des curateurs.",
        "Sus afirmaciones son las del contribuidor, no las de los curadores."),
    "Created": _t("Créé", "Creado"),
    "Modified": _t("Modifié", "Modificado"),
    "Contributor": _t("Contributeur", "Contribuidor"),
    "Attributed to": _t("Attribué à", "Atribuido a"),
    "Attribution": _t("Attribution", "Atribución"),
    "Agent": _t("Agent", "Agente"),
    "Role": _t("Rôle", "Función"),
    "Contact point": _t("Point de contact", "Punto de contacto"),
    "Name": _t("Nom", "Nombre"),
    "Contact as given": _t("Contact tel que fourni", "Contacto tal como se indicó"),
    "E-mail": _t("Courriel", "Correo electrónico"),
    "DOI": _t("DOI", "DOI"),
    "Cited works": _t("Ouvrages cités", "Obras citadas"),
    "Vocabularies": _t("Vocabulaires", "Vocabularios"),
    "Saved queries": _t("Requêtes enregistrées", "Consultas guardadas"),
    "SPARQL": _t("SPARQL", "SPARQL"),
    "Key messages": _t("Messages clés", "Mensajes clave"),
    # ---------------------------------------------------------------- error pages
    "What to do:": _t("Que faire :", "Qué hacer:"),
    "Home page": _t("Page d'accueil", "Página de inicio"),
    "Bad Request": _t("Requête incorrecte", "Solicitud incorrecta"),
    "Forbidden": _t("Interdit", "Prohibido"),
    "Not Found": _t("Page introuvable", "No encontrado"),
    "Method Not Allowed": _t("Méthode non autorisée", "Método no permitido"),
    "Not Acceptable": _t("Format non disponible", "Formato no disponible"),
    "Length Required": _t("Longueur requise", "Longitud requerida"),
    "Request Entity Too Large": _t("Requête trop volumineuse", "Solicitud demasiado grande"),
    "Request-URI Too Long": _t("Adresse trop longue", "Dirección demasiado larga"),
    "Internal Server Error": _t("Erreur interne du serveur", "Error interno del servidor"),
    "Service Unavailable": _t("Service indisponible", "Servicio no disponible"),
    # ---------------------------------------------------------------- home
    "Migration and development: evidence, practices and recommendations": _t(
        "Migrations et développement : données probantes, pratiques et recommandations",
        "Migración y desarrollo: evidencia, prácticas y recomendaciones"),
    "A knowledge graph of the GFMD 2014 Roundtable 3 documents: which practices support which recommendations, "
    "the evidence behind each recommendation, and where every statement comes from.": _t(
        "Un graphe de connaissances des documents de la table ronde 3 du FMMD 2014 : quelles pratiques étayent "
        "quelles recommandations, les données probantes sur lesquelles repose chaque recommandation et la source "
        "de chaque affirmation.",
        "Un grafo de conocimiento de los documentos de la mesa redonda 3 del FMMD 2014: qué prácticas respaldan "
        "qué recomendaciones, la evidencia en que se basa cada recomendación y de dónde procede cada afirmación."),
    "What the graph holds": _t("Contenu du graphe", "Contenido del grafo"),
    "Search practices": _t("Rechercher des pratiques", "Buscar prácticas"),
    "e.g. diaspora, nurses, Ghana": _t("p. ex. diaspora, infirmières, Ghana", "p. ej., diáspora, enfermeras, Ghana"),
    "Search": _t("Rechercher", "Buscar"),
    "Gap map: recommendations by outcome domain": _t(
        "Carte des lacunes : recommandations par domaine de résultats",
        "Mapa de brechas: recomendaciones por ámbito de resultados"),
    "Evidence gap map: practices and findings per recommendation and outcome domain": _t(
        "Carte des lacunes de données probantes : pratiques et constats par recommandation et domaine de résultats",
        "Mapa de brechas de evidencia: prácticas y hallazgos por recomendación y ámbito de resultados"),
    "Recommendation": _t("Recommandation", "Recomendación"),
    "Each cell counts the findings that are evidence for a recommendation in one outcome domain; an empty cell (–) "
    "is a gap in the evidence. The last column counts the practices that support the recommendation. (A simple "
    "table: the full gap map needs the saved query evidence-gap-map.)": _t(
        "Chaque cellule compte les constats qui étayent une recommandation dans un domaine de résultats ; une "
        "cellule vide (–) est une lacune des données probantes. La dernière colonne compte les pratiques qui "
        "étayent la recommandation. (Tableau simplifié : la carte complète nécessite la requête enregistrée "
        "evidence-gap-map.)",
        "Cada celda cuenta los hallazgos que respaldan una recomendación en un ámbito de resultados; una celda "
        "vacía (–) es una brecha en la evidencia. La última columna cuenta las prácticas que respaldan la "
        "recomendación. (Tabla simplificada: el mapa completo requiere la consulta guardada evidence-gap-map.)"),
    "Findings per recommendation and outcome domain, and supporting practices": _t(
        "Constats par recommandation et domaine de résultats, et pratiques à l'appui",
        "Hallazgos por recomendación y ámbito de resultados, y prácticas que los respaldan"),
    "Supporting practices": _t("Pratiques à l'appui", "Prácticas que la respaldan"),
    "%(n)s findings": _t("%(n)s constats", "%(n)s hallazgos"),
    "no findings": _t("aucun constat", "ningún hallazgo"),
    "%(n)s practices": _t("%(n)s pratiques", "%(n)s prácticas"),
    "no practices": _t("aucune pratique", "ninguna práctica"),
    "gap": _t("lacune", "brecha"),
    # ---------------------------------------------------------------- gap map cells (gfmdkg.gapmap)
    "gap: no supporting practice and no evidence": _t(
        "lacune : aucune pratique à l'appui et aucune donnée probante",
        "brecha: ninguna práctica que la respalde y ninguna evidencia"),
    "%(num)s supporting practice": _t("%(num)s pratique à l'appui", "%(num)s práctica que la respalda"),
    "%(num)s supporting practices": _t("%(num)s pratiques à l'appui", "%(num)s prácticas que la respaldan"),
    "%(num)s positive finding": _t("%(num)s constat positif", "%(num)s hallazgo positivo"),
    "%(num)s positive findings": _t("%(num)s constats positifs", "%(num)s hallazgos positivos"),
    "%(num)s negative finding": _t("%(num)s constat négatif", "%(num)s hallazgo negativo"),
    "%(num)s negative findings": _t("%(num)s constats négatifs", "%(num)s hallazgos negativos"),
    "%(num)s mixed finding": _t("%(num)s constat mitigé", "%(num)s hallazgo mixto"),
    "%(num)s mixed findings": _t("%(num)s constats mitigés", "%(num)s hallazgos mixtos"),
    "%(num)s finding of no effect": _t("%(num)s constat d'absence d'effet", "%(num)s hallazgo sin efecto"),
    "%(num)s findings of no effect": _t("%(num)s constats d'absence d'effet", "%(num)s hallazgos sin efecto"),
    "P = supporting practices, + positive, - negative, ~ mixed, o no-effect findings; gap = no practice and no "
    "finding with an effect": _t(
        "P = pratiques à l'appui ; + constats positifs, - négatifs, ~ mitigés, o sans effet ; lacune = ni "
        "pratique ni constat d'un effet",
        "P = prácticas que la respaldan; + hallazgos positivos, - negativos, ~ mixtos, o sin efecto; brecha = "
        "ninguna práctica ni hallazgo con efecto"),
    "Evidence gap map": _t("Carte des lacunes de données probantes", "Mapa de brechas de evidencia"),
    "Evidence gap map (source-only)": _t("Carte des lacunes de données probantes (sources seules)",
                                         "Mapa de brechas de evidencia (solo las fuentes)"),
    "source-only: counts only links the sources themselves state and tags they give, not the curators' choices": _t(
        "sources seules : ne compte que les liens que les sources établissent elles-mêmes et les étiquettes "
        "qu'elles donnent, non les choix des curateurs",
        "solo las fuentes: cuenta solo los vínculos que las propias fuentes establecen y las etiquetas que dan, "
        "no las elecciones de los curadores"),
    "%(title)s: %(rows)s recommendations by %(columns)s outcome domains, %(gaps)s gaps": _t(
        "%(title)s : %(rows)s recommandations par %(columns)s domaines de résultats, %(gaps)s lacunes",
        "%(title)s: %(rows)s recomendaciones por %(columns)s ámbitos de resultados, %(gaps)s brechas"),
    "Computed by the saved query %(query)s of gfmdkg.": _t("Calculé par la requête enregistrée %(query)s de gfmdkg.",
                                                          "Calculado con la consulta guardada %(query)s de gfmdkg."),
    # ---------------------------------------------------------------- lists
    "Remove this filter": _t("Retirer ce filtre", "Quitar este filtro"),
    "(remove)": _t("(retirer)", "(quitar)"),
    "Filter": _t("Filtrer", "Filtrar"),
    "%(n)s more": _t("%(n)s de plus", "%(n)s más"),
    "and %(n)s more with fewer entries: narrow the list with the search or another filter.": _t(
        "et %(n)s autres, moins fréquents : affinez la liste par la recherche ou un autre filtre.",
        "y %(n)s más, menos frecuentes: acote la lista con la búsqueda u otro filtro."),
    "matching": _t("correspondant à", "que coinciden con"),
    "Clear the search and all filters": _t("Effacer la recherche et tous les filtres",
                                           "Borrar la búsqueda y todos los filtros"),
    "Nothing matches. Remove a filter or change the search words.": _t(
        "Aucun résultat. Retirez un filtre ou modifiez les termes de recherche.",
        "Ningún resultado. Quite un filtro o cambie las palabras de búsqueda."),
    "Pages": _t("Pages", "Páginas"),
    "Page %(page)s of %(pages)s:": _t("Page %(page)s sur %(pages)s :", "Página %(page)s de %(pages)s:"),
    "Policies, programmes and projects from the GFMD 2014 background paper and its Annex.": _t(
        "Politiques, programmes et projets tirés du document de référence du FMMD 2014 et de son annexe.",
        "Políticas, programas y proyectos del documento de antecedentes del FMMD 2014 y su anexo."),
    "Evidence statements: what was observed, in which direction, where, and which works say so.": _t(
        "Constats : ce qui a été observé, dans quel sens, où, et quels ouvrages l'établissent.",
        "Hallazgos: qué se observó, en qué dirección, dónde y qué obras lo afirman."),
    "Measures recommended by the background paper and the rapporteur report.": _t(
        "Mesures recommandées par le document de référence et le rapport du rapporteur.",
        "Medidas recomendadas por el documento de antecedentes y el informe del relator."),
    "Partners, funders and implementers named in the documents.": _t(
        "Partenaires, bailleurs de fonds et organismes d'exécution cités dans les documents.",
        "Socios, financiadores y ejecutores mencionados en los documentos."),
    "Countries that practices, findings and organisations concern.": _t(
        "Pays concernés par les pratiques, les constats et les organisations.",
        "Países a los que se refieren las prácticas, los hallazgos y las organizaciones."),
    "The works the background paper cites as evidence (its footnotes).": _t(
        "Les ouvrages que le document de référence cite à l'appui (ses notes de bas de page).",
        "Las obras que el documento de antecedentes cita como evidencia (sus notas a pie de página)."),
    "Discussion points and conclusions recorded for the roundtable sessions.": _t(
        "Points de discussion et conclusions consignés pour les séances de la table ronde.",
        "Puntos de debate y conclusiones registrados para las sesiones de la mesa redonda."),
    "Country": _t("Pays", "País"),
    "Thematic area": _t("Domaine thématique", "Área temática"),
    "Tag": _t("Étiquette", "Etiqueta"),
    "GCM objective": _t("Objectif du Pacte mondial", "Objetivo del Pacto Mundial"),
    "Organisation": _t("Organisation", "Organización"),
    "Outcome domain": _t("Domaine de résultats", "Ámbito de resultados"),
    "Effect direction": _t("Sens de l'effet", "Dirección del efecto"),
    "Channel": _t("Canal", "Canal"),
    "Cited work": _t("Ouvrage cité", "Obra citada"),
    "Document": _t("Document", "Documento"),
    "Organisation type": _t("Type d'organisation", "Tipo de organización"),
    "%(num)s practice": _t("%(num)s pratique", "%(num)s práctica"),
    "%(num)s practices": _t("%(num)s pratiques", "%(num)s prácticas"),
    "%(num)s finding": _t("%(num)s constat", "%(num)s hallazgo"),
    "%(num)s findings": _t("%(num)s constats", "%(num)s hallazgos"),
    "%(num)s recommendation": _t("%(num)s recommandation", "%(num)s recomendación"),
    "%(num)s recommendations": _t("%(num)s recommandations", "%(num)s recomendaciones"),
    "%(num)s organisation": _t("%(num)s organisation", "%(num)s organización"),
    "%(num)s organisations": _t("%(num)s organisations", "%(num)s organizaciones"),
    "%(num)s country": _t("%(num)s pays", "%(num)s país"),
    "%(num)s countries": _t("%(num)s pays", "%(num)s países"),
    "%(num)s cited work": _t("%(num)s ouvrage cité", "%(num)s obra citada"),
    "%(num)s cited works": _t("%(num)s ouvrages cités", "%(num)s obras citadas"),
    "%(num)s key message": _t("%(num)s message clé", "%(num)s mensaje clave"),
    "%(num)s key messages": _t("%(num)s messages clés", "%(num)s mensajes clave"),
    # ---------------------------------------------------------------- resource pages
    "data as": _t("données en", "datos en"),
    "Source:": _t("Source :", "Fuente:"),
    "Practices that support it": _t("Pratiques qui l'étayent", "Prácticas que la respaldan"),
    "Evidence behind it": _t("Données probantes à l'appui", "Evidencia que la sustenta"),
    "Details": _t("Détails", "Detalles"),
    "Linked from": _t("Liens entrants", "Enlaces entrantes"),
    "On this page": _t("Sur cette page", "En esta página"),
    "On this page:": _t("Sur cette page :", "En esta página:"),
    "Basis:": _t("Fondement :", "Fundamento:"),
    "%(shown)s of %(total)s shown.": _t("%(shown)s affichés sur %(total)s.", "Se muestran %(shown)s de %(total)s."),
    "See all %(n)s practices, with filters": _t("Voir les %(n)s pratiques, avec filtres",
                                                "Ver las %(n)s prácticas, con filtros"),
    "See all %(n)s findings, with filters": _t("Voir les %(n)s constats, avec filtres",
                                               "Ver los %(n)s hallazgos, con filtros"),
    "See all %(n)s, with filters": _t("Voir les %(n)s, avec filtres", "Ver los %(n)s, con filtros"),
    "By effect direction:": _t("Par sens de l'effet :", "Por dirección del efecto:"),
    "Direction:": _t("Sens :", "Dirección:"),
    "Outcome domain:": _t("Domaine de résultats :", "Ámbito de resultados:"),
    "Cited works:": _t("Ouvrages cités :", "Obras citadas:"),
    "No work cited in the source": _t("Aucun ouvrage cité dans la source", "Ninguna obra citada en la fuente"),
    "direction not given": _t("sens non précisé", "dirección no indicada"),
    "Linked as ‘%(name)s’ from": _t("Lié comme « %(name)s » depuis", "Enlazado como «%(name)s» desde"),
    "Supports these recommendations": _t("Étaye ces recommandations", "Respalda estas recomendaciones"),
    "Evidence for these recommendations": _t("Donnée probante pour ces recommandations",
                                             "Evidencia para estas recomendaciones"),
    "(curators' choice)": _t("(choix des curateurs)", "(elección de los curadores)"),
    "(curators' coding)": _t("(codage des curateurs)", "(codificación de los curadores)"),
    "Classifications and statuses: whose choice": _t("Classifications et statuts : qui les a choisis",
                                                      "Clasificaciones y estados: quién los eligió"),
    "Global Compact for Migration objectives": _t("Objectifs du Pacte mondial sur les migrations",
                                                  "Objetivos del Pacto Mundial sobre Migración"),
    "Findings that are evidence for it": _t("Constats qui l'étayent", "Hallazgos que la sustentan"),
    "Practices, findings and organisations about this place": _t(
        "Pratiques, constats et organisations concernant ce lieu",
        "Prácticas, hallazgos y organizaciones relativos a este lugar"),
    "Practices meant to benefit this country": _t("Pratiques destinées à bénéficier à ce pays",
                                                  "Prácticas destinadas a beneficiar a este país"),
    "Practices with this partner": _t("Pratiques avec ce partenaire", "Prácticas con este socio"),
    "Practices it funds": _t("Pratiques qu'elle finance", "Prácticas que financia"),
    "Practices it implements": _t("Pratiques qu'elle met en œuvre", "Prácticas que ejecuta"),
    "Practices it coordinates": _t("Pratiques qu'elle coordonne", "Prácticas que coordina"),
    "Practices in this thematic area": _t("Pratiques de ce domaine thématique", "Prácticas de esta área temática"),
    "Practices with this tag": _t("Pratiques portant cette étiquette", "Prácticas con esta etiqueta"),
    "Practices and recommendations mapped to it": _t("Pratiques et recommandations qui y sont rattachées",
                                                     "Prácticas y recomendaciones vinculadas a él"),
    "Findings that cite this work": _t("Constats qui citent cet ouvrage", "Hallazgos que citan esta obra"),
    "Statements taken from here": _t("Énoncés tirés d'ici", "Afirmaciones tomadas de aquí"),
    "Parts": _t("Parties", "Partes"),
    "Concepts in this scheme": _t("Concepts de ce schéma", "Conceptos de este esquema"),
    "Top concepts": _t("Concepts de premier niveau", "Conceptos de primer nivel"),
    "Sub-organisations": _t("Sous-organisations", "Suborganizaciones"),
    "Related practices": _t("Pratiques apparentées", "Prácticas relacionadas"),
    "Restated by": _t("Reformulé par", "Reformulado por"),
    "Findings and recommendations in this outcome domain": _t(
        "Constats et recommandations de ce domaine de résultats",
        "Hallazgos y recomendaciones de este ámbito de resultados"),
    "Findings with this effect direction": _t("Constats de ce sens de l'effet",
                                              "Hallazgos con esta dirección del efecto"),
    "Findings about this channel": _t("Constats sur ce canal", "Hallazgos sobre este canal"),
    "Findings about this group": _t("Constats sur ce groupe", "Hallazgos sobre este grupo"),
    "Organisations of this type": _t("Organisations de ce type", "Organizaciones de este tipo"),
    "Practices answering this question": _t("Pratiques répondant à cette question",
                                            "Prácticas que responden a esta pregunta"),
    "Annex entries in this section": _t("Entrées de l'annexe dans cette section", "Entradas del anexo en esta sección"),
    "Key messages of this session": _t("Messages clés de cette séance", "Mensajes clave de esta sesión"),
    "Recommendations proposed here": _t("Recommandations proposées ici", "Recomendaciones propuestas aquí"),
    "Sessions": _t("Séances", "Sesiones"),
    "Instances": _t("Instances", "Instancias"),
    "Recommendations from this document": _t("Recommandations de ce document", "Recomendaciones de este documento"),
    "Publications": _t("Publications", "Publicaciones"),
    "Documents prepared for it": _t("Documents préparés pour cet événement", "Documentos preparados para este evento"),
    "Findings about this practice": _t("Constats sur cette pratique", "Hallazgos sobre esta práctica"),
    "Given as an example by": _t("Donné en exemple par", "Dado como ejemplo por"),
    "Period": _t("Période", "Período"),
    "Web links": _t("Liens web", "Enlaces web"),
    "Editorial note": _t("Note éditoriale", "Nota editorial"),
    "Also called": _t("Autres noms", "También llamado"),
    "Definition": _t("Définition", "Definición"),
    "In scheme": _t("Dans le schéma", "En el esquema"),
    "Code": _t("Code", "Código"),
    "Same as": _t("Identique à", "Igual que"),
    "Close match": _t("Correspondance proche", "Correspondencia cercana"),
    "Broader": _t("Plus général", "Más general"),
    "Narrower": _t("Plus spécifique", "Más específico"),
    "Top concept of": _t("Concept de premier niveau de", "Concepto de primer nivel de"),
    "Citation": _t("Référence", "Referencia"),
    "Date": _t("Date", "Fecha"),
    "Part of": _t("Fait partie de", "Forma parte de"),
    "Issued": _t("Publié le", "Publicado el"),
    "Publisher": _t("Éditeur", "Editor"),
    "Licence": _t("Licence", "Licencia"),
    "Part of organisation": _t("Fait partie de l'organisation", "Forma parte de la organización"),
    "Page": _t("Page", "Página"),
    "Value": _t("Valeur", "Valor"),
    "Currency": _t("Monnaie", "Moneda"),
    "Unit": _t("Unité", "Unidad"),
    "Part of event": _t("Fait partie de l'événement", "Forma parte del evento"),
    "Start": _t("Début", "Inicio"),
    "End": _t("Fin", "Fin"),
    "Location": _t("Lieu", "Lugar"),
    "Comment": _t("Commentaire", "Comentario"),
    "See also": _t("Voir aussi", "Véase también"),
    "Subclass of": _t("Sous-classe de", "Subclase de"),
    "Subproperty of": _t("Sous-propriété de", "Subpropiedad de"),
    "Domain": _t("Domaine", "Dominio"),
    "Range": _t("Portée", "Rango"),
    "Version": _t("Version", "Versión"),
    "Version IRI": _t("IRI de version", "IRI de versión"),
    "Authors (as given)": _t("Auteurs (tels qu'indiqués)", "Autores (tal como figuran)"),
    "Funded by": _t("Financé par", "Financiado por"),
    "Mentioned in": _t("Mentionné dans", "Mencionado en"),
    # ---------------------------------------------------------------- names of classes (display.CLASS_NAMES)
    "Practice": _t("Pratique", "Práctica"),
    "Finding": _t("Constat", "Hallazgo"),
    "Key message": _t("Message clé", "Mensaje clave"),
    "Guiding question": _t("Question directrice", "Pregunta orientadora"),
    "Quantitative value": _t("Valeur quantitative", "Valor cuantitativo"),
    "Report": _t("Rapport", "Informe"),
    "Part of a document": _t("Partie d'un document", "Parte de un documento"),
    "Concept": _t("Concept", "Concepto"),
    "Concept scheme": _t("Schéma de concepts", "Esquema de conceptos"),
    "Event": _t("Événement", "Evento"),
    "Amount of money": _t("Montant", "Importe"),
    "Class": _t("Classe", "Clase"),
    "Relation": _t("Relation", "Relación"),
    "Attribute": _t("Attribut", "Atributo"),
    "Dataset": _t("Jeu de données", "Conjunto de datos"),
    "yes": _t("oui", "sí"),
    "no": _t("non", "no"),
    # ---------------------------------------------------------------- ontology and vocabulary indexes
    "Ontology": _t("Ontologie", "Ontología"),
    "Vocabularies (SKOS concept schemes)": _t("Vocabulaires (schémas de concepts SKOS)",
                                              "Vocabularios (esquemas de conceptos SKOS)"),
    "Classes": _t("Classes", "Clases"),
    "Relations (object properties)": _t("Relations (propriétés d'objet)", "Relaciones (propiedades de objeto)"),
    "Attributes (datatype properties)": _t("Attributs (propriétés de données)",
                                           "Atributos (propiedades de datos)"),
    "Annotation properties": _t("Propriétés d'annotation", "Propiedades de anotación"),
    "Properties": _t("Propriétés", "Propiedades"),
    "Concept schemes": _t("Schémas de concepts", "Esquemas de conceptos"),
    # ---------------------------------------------------------------- saved queries
    "Questions the graph answers, ready to run. Open one to set its parameters and see the answer as a table, or "
    "download it as CSV or JSON.": _t(
        "Questions auxquelles le graphe répond, prêtes à exécuter. Ouvrez-en une pour en régler les paramètres et "
        "voir la réponse sous forme de tableau, ou la télécharger en CSV ou JSON.",
        "Preguntas que el grafo responde, listas para ejecutar. Abra una para fijar sus parámetros y ver la "
        "respuesta en una tabla, o descargarla en CSV o JSON."),
    "For your own questions use the SPARQL endpoint.": _t(
        "Pour vos propres questions, utilisez le point d'accès SPARQL.",
        "Para sus propias preguntas, use el punto de acceso SPARQL."),
    "parameters:": _t("paramètres :", "parámetros:"),
    "tags:": _t("étiquettes :", "etiquetas:"),
    "This server has no saved queries (it serves RDF files rather than the gfmdkg project).": _t(
        "Ce serveur n'a pas de requêtes enregistrées (il sert des fichiers RDF et non le projet gfmdkg).",
        "Este servidor no tiene consultas guardadas (sirve archivos RDF y no el proyecto gfmdkg)."),
    "(required)": _t("(obligatoire)", "(obligatorio)"),
    "Run": _t("Exécuter", "Ejecutar"),
    "Download CSV": _t("Télécharger en CSV", "Descargar CSV"),
    "Download JSON": _t("Télécharger en JSON", "Descargar JSON"),
    "Answer": _t("Réponse", "Respuesta"),
    "%(num)s row": _t("%(num)s ligne", "%(num)s fila"),
    "%(num)s rows": _t("%(num)s lignes", "%(num)s filas"),
    "The query": _t("La requête", "La consulta"),
    # ---------------------------------------------------------------- SPARQL page
    "SPARQL endpoint": _t("Point d'accès SPARQL", "Punto de acceso SPARQL"),
    "A read-only SPARQL 1.1 endpoint at /sparql: send queries by GET or POST; answers come as JSON, XML, CSV or "
    "TSV (graphs as Turtle, N-Triples, JSON-LD or RDF/XML) by the Accept header. Updates, SERVICE and LOAD are "
    "refused; every query has a time limit.": _t(
        "Un point d'accès SPARQL 1.1 en lecture seule à /sparql : envoyez les requêtes par GET ou POST ; les "
        "réponses sont en JSON, XML, CSV ou TSV (les graphes en Turtle, N-Triples, JSON-LD ou RDF/XML) selon "
        "l'en-tête Accept. Les mises à jour, SERVICE et LOAD sont refusés ; chaque requête a une durée limitée.",
        "Un punto de acceso SPARQL 1.1 de solo lectura en /sparql: envíe las consultas por GET o POST; las "
        "respuestas llegan en JSON, XML, CSV o TSV (los grafos en Turtle, N-Triples, JSON-LD o RDF/XML) según la "
        "cabecera Accept. Las actualizaciones, SERVICE y LOAD se rechazan; cada consulta tiene un tiempo límite."),
    "Query": _t("Requête", "Consulta"),
    "Answer as": _t("Réponse en", "Respuesta en"),
    "table on this page": _t("tableau sur cette page", "tabla en esta página"),
    "graphs": _t("graphes", "grafos"),
    "Run query": _t("Exécuter la requête", "Ejecutar la consulta"),
    "Answer:": _t("Réponse :", "Respuesta:"),
    "yes (true)": _t("oui (vrai)", "sí (verdadero)"),
    "no (false)": _t("non (faux)", "no (falso)"),
    # ---- forms: saved queries as forms (gfmdkg/serve/forms.py, query.html) and the SPARQL editor (sparql.html)
    "Source document": _t("Document source", "Documento fuente"),
    "Type of node": _t("Type de nœud", "Tipo de nodo"),
    "Region": _t("Région", "Región"),
    "Status": _t("Statut", "Estado"),
    "Only what the sources state": _t("Seulement ce que disent les sources", "Solo lo que dicen las fuentes"),
    "Year": _t("Année", "Año"),
    "Unit or currency": _t("Unité ou monnaie", "Unidad o moneda"),
    "Download Turtle": _t("Télécharger en Turtle", "Descargar Turtle"),
    "Download JSON-LD": _t("Télécharger en JSON-LD", "Descargar JSON-LD"),
    "(default)": _t("(par défaut)", "(por defecto)"),
    "(choose one)": _t("(choisissez)", "(elija uno)"),
    "(all)": _t("(tous)", "(todos)"),
    "Type a name or an id; %(num)s suggestion.": _t(
        "Tapez un nom ou un identifiant ; %(num)s suggestion.",
        "Escriba un nombre o un identificador; %(num)s sugerencia."),
    "Type a name or an id; %(num)s suggestions.": _t(
        "Tapez un nom ou un identifiant ; %(num)s suggestions.",
        "Escriba un nombre o un identificador; %(num)s sugerencias."),
    "Only the first ones are suggested.": _t("Seuls les premiers sont proposés.", "Solo se proponen los primeros."),
    "Start from a saved query": _t("Partir d'une requête enregistrée", "Partir de una consulta guardada"),
    "Open in the editor": _t("Ouvrir dans l'éditeur", "Abrir en el editor"),
    "The project's prefixes are preloaded: a query may use them without PREFIX lines.": _t(
        "Les préfixes du projet sont préchargés : une requête peut les utiliser sans lignes PREFIX.",
        "Los prefijos del proyecto están precargados: una consulta puede usarlos sin líneas PREFIX."),
    "The project's prefixes": _t("Les préfixes du projet", "Los prefijos del proyecto"),
    "Prefix": _t("Préfixe", "Prefijo"),
    "Namespace IRI": _t("IRI de l'espace de noms", "IRI del espacio de nombres"),
    "The query at line %(line)s": _t("La requête à la ligne %(line)s", "La consulta en la línea %(line)s"),
    "Address of this answer (to share or bookmark)": _t(
        "Adresse de cette réponse (à partager ou à mettre en favori)",
        "Dirección de esta respuesta (para compartir o guardar en marcadores)"),
    # ---- worldmap: the world map, country pages, sortable lists and their CSV download
    "Practices per country": _t("Pratiques par pays", "Prácticas por país"),
    "World map: the number of practices in each country. Select a country to see its practices.": _t(
        "Carte du monde : le nombre de pratiques dans chaque pays. Sélectionnez un pays pour voir ses pratiques.",
        "Mapa del mundo: el número de prácticas en cada país. Seleccione un país para ver sus prácticas."),
    "%(country)s: %(n)s practices": _t("%(country)s : %(n)s pratiques", "%(country)s: %(n)s prácticas"),
    "%(country)s: 1 practice": _t("%(country)s : 1 pratique", "%(country)s: 1 práctica"),
    "%(n)s or more": _t("%(n)s ou plus", "%(n)s o más"),
    "Legend": _t("Légende", "Leyenda"),
    "none": _t("aucune", "ninguna"),
    "this country": _t("ce pays", "este país"),
    "Map drawn from Natural Earth (public domain): countries at 1:110m, small states at 1:50m.": _t(
        "Carte tracée d'après Natural Earth (domaine public) : pays au 1/110 000 000, petits États au 1/50 000 000.",
        "Mapa trazado a partir de Natural Earth (dominio público): países a 1:110 000 000, pequeños Estados a "
        "1:50 000 000."),
    "Not drawn (no shape at this scale):": _t("Non tracés (pas de contour à cette échelle) :",
                                              "No trazados (sin contorno a esta escala):"),
    "The numbers as a table": _t("Les chiffres sous forme de tableau", "Las cifras en una tabla"),
    "On the map": _t("Sur la carte", "En el mapa"),
    "Map: %(summary)s. Shaded: the other countries of its practices, by the number of practices in common.": _t(
        "Carte : %(summary)s. En couleur : les autres pays de ses pratiques, selon le nombre de pratiques en commun.",
        "Mapa: %(summary)s. En color: los demás países de sus prácticas, según el número de prácticas en común."),
    "%(country)s: %(counts)s": _t("%(country)s : %(counts)s", "%(country)s: %(counts)s"),
    "Map: %(summary)s.": _t("Carte : %(summary)s.", "Mapa: %(summary)s."),
    "%(country)s: %(n)s practices in common": _t("%(country)s : %(n)s pratiques en commun",
                                                 "%(country)s: %(n)s prácticas en común"),
    "%(country)s: 1 practice in common": _t("%(country)s : 1 pratique en commun", "%(country)s: 1 práctica en común"),
    "Practices in common": _t("Pratiques en commun", "Prácticas en común"),
    "The countries in common as a table": _t("Les pays en commun sous forme de tableau",
                                             "Los países en común en una tabla"),
    "Other countries": _t("Autres pays", "Otros países"),
    "The same list with filters, sorting and a CSV download": _t(
        "La même liste, avec filtres, tri et téléchargement en CSV",
        "La misma lista, con filtros, ordenación y descarga en CSV"),
    "(all %(n)s rows of this list, as filtered and sorted here)": _t(
        "(les %(n)s lignes de cette liste, filtrées et triées comme ici)",
        "(las %(n)s filas de esta lista, filtradas y ordenadas como aquí)"),
    "select a column heading to sort by it": _t("sélectionnez l'en-tête d'une colonne pour trier selon elle",
                                                "seleccione el encabezado de una columna para ordenar por ella"),
    # ---- locators: technical notes of saved queries; links from locators to the published documents
    "Technical notes": _t("Notes techniques", "Notas técnicas"),
    "in the published document": _t("dans le document publié", "en el documento publicado"),
    "published address not known": _t("adresse de publication inconnue", "dirección de publicación desconocida"),
    "Read it in the published document": _t("Le lire dans le document publié", "Leerlo en el documento publicado"),
    "The published document's web address is not known, so this cannot link to it.": _t(
        "L'adresse web du document publié n'est pas connue : aucun lien n'est donc possible.",
        "No se conoce la dirección web del documento publicado, por lo que no se puede enlazar con él."),
    "Published at": _t("Publié à l'adresse", "Publicado en"),
    "File format": _t("Format de fichier", "Formato de archivo"),
    # ---- gapmap: the evidence gap map page, its cells, filters and merged rows
    "Gap map": _t("Carte des lacunes", "Mapa de brechas"),
    "Each cell shows the practices supporting a recommendation in one outcome domain and the findings behind it, "
    "by effect direction: %(legend)s. %(gaps)s cells are gaps. Select a cell to see exactly the practices and "
    "findings it counts.": _t(
        "Chaque cellule indique les pratiques qui étayent une recommandation dans un domaine de résultats et les "
        "constats sur lesquels elle repose, par sens de l'effet : %(legend)s. %(gaps)s cellules sont des lacunes. "
        "Sélectionnez une cellule pour voir exactement les pratiques et les constats qu'elle compte.",
        "Cada celda muestra las prácticas que respaldan una recomendación en un ámbito de resultados y los "
        "hallazgos en que se basa, por dirección del efecto: %(legend)s. %(gaps)s celdas son brechas. Seleccione "
        "una celda para ver exactamente las prácticas y los hallazgos que cuenta."),
    "Filter the map by region, population group, channel or document, or show restatements separately": _t(
        "Filtrer la carte par région, groupe de population, canal ou document, ou afficher les reprises à part",
        "Filtrar el mapa por región, grupo de población, canal o documento, o mostrar las reformulaciones por "
        "separado"),
    "with its restatement in the rapporteur report": _t("avec sa reprise dans le rapport du rapporteur",
                                                        "con su reformulación en el informe del relator"),
    "and another restatement": _t("et une autre reprise", "y otra reformulación"),
    "Darker cells hold more practices and findings. The bar on a cell's left gives the findings' direction (green: "
    "positive, red: negative, amber: mixed or both ways, grey: practices or no effect only); the signs in the cell "
    "say the same.": _t(
        "Plus une cellule est foncée, plus elle compte de pratiques et de constats. La barre à gauche d'une cellule "
        "donne le sens des constats (vert : positif, rouge : négatif, ambre : mitigé ou dans les deux sens, gris : "
        "pratiques ou absence d'effet seulement) ; les signes dans la cellule disent la même chose.",
        "Cuanto más oscura es una celda, más prácticas y hallazgos contiene. La barra a la izquierda de una celda "
        "indica la dirección de los hallazgos (verde: positiva, rojo: negativa, ámbar: mixta o en ambos sentidos, "
        "gris: solo prácticas o ausencia de efecto); los signos de la celda dicen lo mismo."),
    "Darker cells hold more practices and findings; the bar on a cell's left shows the findings' direction (green "
    "positive, red negative, amber mixed or both, grey none), which the signs also give.": _t(
        "Plus une cellule est foncée, plus elle compte de pratiques et de constats ; la barre à gauche d'une cellule "
        "montre le sens des constats (vert positif, rouge négatif, ambre mitigé ou les deux, gris aucun), que les "
        "signes donnent aussi.",
        "Cuanto más oscura es una celda, más prácticas y hallazgos contiene; la barra a la izquierda de una celda "
        "muestra la dirección de los hallazgos (verde positiva, rojo negativa, ámbar mixta o ambas, gris ninguna), "
        "que los signos también indican."),
    "merged: each background-paper measure with the rapporteur report's restatements of it (gfmd:restates)": _t(
        "fusionné : chaque mesure du document de référence avec les reprises qu'en fait le rapport du rapporteur "
        "(gfmd:restates)",
        "combinado: cada medida del documento de antecedentes con las reformulaciones que hace de ella el informe "
        "del relator (gfmd:restates)"),
    "Recommendations by outcome domain: the practices supporting each recommendation and the findings behind it, "
    "by effect direction: %(legend)s.": _t(
        "Recommandations par domaine de résultats : les pratiques qui étayent chaque recommandation et les constats "
        "sur lesquels elle repose, par sens de l'effet : %(legend)s.",
        "Recomendaciones por ámbito de resultados: las prácticas que respaldan cada recomendación y los hallazgos "
        "en que se basa, por dirección del efecto: %(legend)s."),
    "Filter the map": _t("Filtrer la carte", "Filtrar el mapa"),
    "(any)": _t("(indifférent)", "(cualquiera)"),
    "Show the rapporteur report's restatements as separate rows": _t(
        "Afficher les reprises du rapport du rapporteur sur des lignes distinctes",
        "Mostrar las reformulaciones del informe del relator en filas separadas"),
    "Show the map": _t("Afficher la carte", "Mostrar el mapa"),
    "Clear the filters": _t("Effacer les filtres", "Quitar los filtros"),
    "Practices have no population group or channel: those two filters keep findings only. A region keeps practices "
    "and findings in it, its countries and sub-regions.": _t(
        "Les pratiques n'ont ni groupe de population ni canal : ces deux filtres ne gardent que des constats. Une "
        "région garde les pratiques et les constats qui s'y rapportent, à ses pays et à ses sous-régions.",
        "Las prácticas no tienen grupo de población ni canal: esos dos filtros solo conservan hallazgos. Una región "
        "conserva las prácticas y los hallazgos que se refieren a ella, a sus países y a sus subregiones."),
    "%(rows)s recommendations, %(gaps)s gaps": _t("%(rows)s recommandations, %(gaps)s lacunes",
                                                  "%(rows)s recomendaciones, %(gaps)s brechas"),
    "Each background-paper measure is shown with the rapporteur report's restatements of it, counting each practice "
    "and finding once.": _t(
        "Chaque mesure du document de référence est affichée avec les reprises qu'en fait le rapport du rapporteur, "
        "chaque pratique et chaque constat comptant une fois.",
        "Cada medida del documento de antecedentes se muestra con las reformulaciones que hace de ella el informe "
        "del relator, y cada práctica y hallazgo cuenta una vez."),
    "Show restatements as separate rows": _t("Afficher les reprises sur des lignes distinctes",
                                              "Mostrar las reformulaciones en filas separadas"),
    "The rapporteur report's restatements are shown as rows of their own.": _t(
        "Les reprises du rapport du rapporteur sont affichées sur leurs propres lignes.",
        "Las reformulaciones del informe del relator se muestran en filas propias."),
    "Merge restatements into their measures": _t("Fusionner les reprises avec leurs mesures",
                                                  "Combinar las reformulaciones con sus medidas"),
    "This cell of the gap map holds: %(what)s.": _t("Cette cellule de la carte des lacunes contient : %(what)s.",
                                                     "Esta celda del mapa de brechas contiene: %(what)s."),
    "This cell is a gap: no supporting practice and no finding with an effect.": _t(
        "Cette cellule est une lacune : aucune pratique à l'appui et aucun constat d'un effet.",
        "Esta celda es una brecha: ninguna práctica que la respalde y ningún hallazgo con un efecto."),
    "Descriptive findings, not counted (%(n)s)": _t("Constats descriptifs, non comptés (%(n)s)",
                                                     "Hallazgos descriptivos, no contados (%(n)s)"),
    "Facts and figures without an effect direction (“not applicable”): context for this cell, not evidence that "
    "fills it.": _t(
        "Faits et chiffres sans sens de l'effet (« sans objet ») : le contexte de cette cellule, non des données "
        "probantes qui la remplissent.",
        "Hechos y cifras sin dirección del efecto («no aplicable»): contexto de esta celda, no evidencia que la "
        "llene."),
    "Population group": _t("Groupe de population", "Grupo de población"),
    "Positive findings": _t("Constats positifs", "Hallazgos positivos"),
    "Negative findings": _t("Constats négatifs", "Hallazgos negativos"),
    "Mixed findings": _t("Constats mitigés", "Hallazgos mixtos"),
    "Findings of no effect": _t("Constats d'absence d'effet", "Hallazgos de ausencia de efecto"),
    "Only what the sources themselves state (no link or tag the curators chose)": _t(
        "Seulement ce que les sources affirment elles-mêmes (aucun lien ni étiquette choisis par les curateurs)",
        "Solo lo que afirman las propias fuentes (ningún vínculo ni etiqueta elegidos por los curadores)"),
}
