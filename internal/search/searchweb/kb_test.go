package searchweb_test

// tinyKB is a small knowledge base with words in every field, stemming
// cases, accents, phrases with stop words, places (a region's name with
// an accent and stop words: Île-de-France), and every facet.
const tinyKB = `
-- vendors/acme.md --
---
title: Acme Drones
summary: A maker of drones grounded by several agencies.
country: CN
sources:
  - url: https://example.org/acme
---
Acme's quadcopters are protested widely. Made in China, they fly everywhere.
-- vendors/skyco.md --
---
title: SkyCo Aviation
summary: An American maker of surveillance aircraft.
country: US
---
SkyCo builds fixed-wing drones for police departments.
-- laws/ban.md --
---
title: Drone Security Act
short: DSA
summary: Bans the purchase of drones made in China.
kind: statute
country: US
status: enacted
enacted: 2020-01-01
restricts:
  countries: [CN]
measure: procurement
sources:
  - url: https://example.org/dsa
---
The act bans procurement of Chinese drones by federal agencies. État-level rules differ.
-- agencies/nypd.md --
---
title: New York Police Department
short: NYPD
summary: The city's police, flying Acme quadcopters at protests.
country: US
region: US-NY
level: local
kind: police
fleet:
  - vendor: acme
    model: Q1
    count: 12
    acquired: 2019-03-01
    status: active
    as_of: 2024-05-01
    source: https://example.org/nypd
sources:
  - url: https://example.org/nypd
---
Officers used drones during protests in 2020. The department says its pilots are grounding nothing.
-- agencies/prefecture.md --
---
title: Préfecture de police de Paris
summary: The Paris police prefecture, which flew SkyCo aircraft over demonstrations.
country: FR
region: FR-IDF
level: local
kind: police
fleet:
  - vendor: skyco
    count: 3
    acquired: 2020-06-01
    status: grounded
    as_of: 2023-01-01
    source: https://example.org/paris
sources:
  - url: https://example.org/paris
---
Le Conseil d'État suspended the drones in 2020. Protesters welcomed the ruling.
-- incidents/protest-2020.md --
---
title: Drones over a protest in New York
summary: Police flew drones over a protest in Manhattan.
date: 2020-06-02
country: US
region: US-NY
agencies: [nypd]
vendors: [acme]
kind: protest
sources:
  - url: https://example.org/protest
---
Videos showed an Acme drone hovering over the crowd; the police department grounded it afterwards.
`
