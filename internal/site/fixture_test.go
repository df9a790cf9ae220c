package site_test

// smallKB is a knowledge base with a little of everything a page can show:
// a vendor restricted by name and one by country of origin, a subsidiary,
// laws in force, pending and advisory, agencies that are bound, unbound,
// grounded and clear, fleet histories, incidents, cross-page fragment links,
// citations, tables, lists and code.
const smallKB = `
-- vendors/acme-drones.md --
---
title: Acme Drones
summary: A Chinese maker of camera drones sold to police forces.
legal_name: Acme Drone Technology Co., Ltd.
country: CN
hq: Shenzhen
website: https://acme.example.com/
tags: [acme, china]
sources:
  - url: https://news.example.org/acme-profile
    title: Acme's rise
    publisher: Example News
    date: 2020-03-01
---
Acme sells the **Falcon** series [1]. The [Drone Ban](../laws/drone-ban.md#whom-it-binds)
restricts it, and the [Metro PD](../agencies/metro-pd.md#fleet) flies it.
-- vendors/acme-eu.md --
---
title: Acme Europe
country: FR
parent: acme-drones
---
-- vendors/skyworks.md --
---
title: Skyworks
country: US
tags: [skyworks]
---
-- laws/drone-ban.md --
---
title: Federal Drone Ban Act
short: FDBA
summary: Bars federal agencies from flying drones made in China.
kind: statute
country: US
status: enacted
introduced: 2022-01-10
enacted: 2023-12-22
restricts:
  countries: [CN]
measure: operation
binds:
  levels: [national]
tags: [china, procurement-ban]
sources:
  - url: https://congress.example.gov/bill/1
    title: The bill
    publisher: Congress
    date: 2023-12-22
  - url: https://news.example.org/ban-signed
---
## Whom it binds

Federal agencies only [1]; a city police force such as the
[Metro PD](../agencies/metro-pd.md) is not bound [2].

| Who | Bound? |
|-----|--------|
| [Federal Bureau](../agencies/federal-bureau.md) | yes |
| Metro PD | no |
-- laws/city-advisory.md --
---
title: City drone advisory
kind: policy
country: US
region: US-NY
status: enacted
enacted: 2021-05-01
restricts:
  vendors: [acme-drones]
measure: advisory
sources:
  - url: https://city.example.gov/advisory
---
A warning only.
-- laws/fr-proposal.md --
---
title: Proposition de loi sur les drones
kind: bill
country: FR
status: proposed
introduced: 2024-02-01
restricts:
  countries: [RU]
sources:
  - url: https://assemblee.example.fr/ppl-1
---
Not yet law.
-- agencies/metro-pd.md --
---
title: Metro Police Department
short: MPD
summary: A city police force that flies Acme drones.
country: US
region: US-NY
level: local
kind: police
tags: [police, acme]
related: [vendors/acme-drones, incidents/metro-launch-2019]
fleet:
  - vendor: acme-drones
    model: Falcon 2
    count: 12
    acquired: 2019-04-02
    status: active
    as_of: 2024-10-01
    source: https://news.example.org/metro-2024
    note: Still flying in 2024.
    history:
      - date: 2019-04-02
        status: active
        source: https://news.example.org/metro-launch
  - vendor: skyworks
    model: Hawk
    count: 2
    status: active
    as_of: 2023-05-01
    source: https://news.example.org/metro-2024
sources:
  - url: https://news.example.org/metro-launch
    title: Metro PD launches drones
    publisher: Example News
    date: 2019-04-02
    archive: https://archive.example.org/metro-launch
  - url: https://news.example.org/metro-2024
    title: Metro PD still flies Acme
    publisher: Example News
    date: 2024-10-01
---
The department [launched](../incidents/metro-launch-2019.md) its programme in 2019 [1]
and still flew [Acme](../vendors/acme-drones.md) drones in 2024 [2]; see its
[tracker status](#tracker) and the [sources](#source-2).

## Oversight

- The [ban](../laws/drone-ban.md) does not bind it [2].
- Contact: <mailto:oversight@example.org>, or https://oversight.example.org/.

### Numbers

` + "```" + `
12 Falcon 2
 2 Hawk
` + "```" + `
-- agencies/federal-bureau.md --
---
title: Federal Bureau of Drones
country: US
level: national
kind: police
fleet:
  - vendor: acme-drones
    status: grounded
    as_of: 2024-01-15
    source: https://news.example.org/bureau-grounds
    history:
      - date: 2021-06-01
        status: active
        source: https://news.example.org/bureau-grounds
sources:
  - url: https://news.example.org/bureau-grounds
---
Grounded its [Acme drones](../vendors/acme-drones.md) after the
[ban](../laws/drone-ban.md#whom-it-binds) [1].
-- agencies/fr-police.md --
---
title: Police nationale (essai)
country: FR
region: FR-75
level: national
kind: police
fleet:
  - vendor: acme-eu
    model: Falcon EU
    status: active
    as_of: 2024-03-01
    source: https://presse.example.fr/drones
sources:
  - url: https://presse.example.fr/drones
---
-- incidents/metro-launch-2019.md --
---
title: Metro PD launches its drone unit
summary: The Metro PD showed twelve Acme drones to the press.
date: 2019-04-02
place: Fort Example, New York
country: US
region: US-NY
agencies: [metro-pd]
vendors: [acme-drones]
kind: surveillance
tags: [police, acme]
sources:
  - url: https://news.example.org/metro-launch
---
The [Metro PD](../agencies/metro-pd.md#timeline) unveiled the unit [1].
-- incidents/ban-signed-2023.md --
---
title: The Federal Drone Ban Act is signed
date: 2023-12-22
country: US
laws: [drone-ban]
agencies: [federal-bureau]
kind: policy
sources:
  - url: https://news.example.org/ban-signed
---
Signed into law [1].
`
