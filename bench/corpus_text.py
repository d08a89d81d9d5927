"""Word pools and sentence templates for the synthetic case-study corpus.

Everything here is plain text in small blocks: a pool is "name: item | item | ...", and
items may themselves contain {slots}. Pools are listed most common first; the generator
favours the head of each list, which gives the text Zipf-like word frequencies.

Slots filled once per case study (consistent across a story):
  {lead} {partner} {partner2} {community} {funder} {place} {town} {area} {people}
  {person} {service} {staff} {venue} {issue} {aim} {duration} {values_phrase}
  {start_year} {mid_year} {end_phrase}
Every other slot draws afresh from the sector's pools, then the general pools.
A trailing digit on a slot name ({need2}) draws again from the same pool.
"""

SECTOR_TEXT = {
    "health": """
people: patients | people living with long-term conditions | outpatients and their carers | people waiting for mental health support | people with diabetes | new mothers | people recovering from a stroke | people with chronic pain | hospital patients and their families | people living with COPD | people registered with the GP practice | people with lived experience of mental ill health | people with heart failure | cancer survivors
person: a man living with type 2 diabetes | a woman recovering from a stroke | a young mum with postnatal depression | a retired joiner with heart failure | a patient with a hearing impairment | a teenager with an eating disorder
service: the outpatient clinic | the community mental health service | the GP practice | the diabetes service | the hospital discharge process | the pulmonary rehabilitation programme | the stroke ward | the minor injuries unit | the out-of-hours service | the health visiting service | the physiotherapy service | the maternity unit | the cardiac rehabilitation class | the pain management programme
staff: nurses | GPs and practice staff | allied health professionals | ward staff | community nurses | health visitors | the public health team | consultants and clinic staff | link workers | physiotherapists | clinical psychologists | pharmacists | dietitians
venue: the health centre | the hospital outpatient department | the GP surgery | the community hospital | the local pharmacy | the wellbeing hub | the ward day room | the medical practice waiting room | the leisure centre
issue: long waits for appointments | confusing appointment letters | the call-buzzer system on the ward | missed appointments | poor signage around the hospital | a lack of support after discharge | patients repeating their story to every professional | the distance to specialist clinics | rising demand for mental health support | low uptake of screening | delayed discharges | health inequalities between neighbourhoods
need: appointment letters were hard to understand | they felt rushed in consultations | nobody had asked what mattered to them | clinic times clashed with work and the school run | they were discharged without knowing who to call | the waiting room felt cold and unwelcoming | information was only available online | they had to travel too far for routine checks | the call system on the ward did not work for people with sensory impairments | services treated the condition but not the person | they waited months for a first appointment | follow-up care stopped as soon as they left hospital
aim: make the service fit around patients' lives | cut the number of missed appointments | give patients a real say in how the clinic runs | build care around what matters to people | make the hospital easier to find your way around | bring care closer to home | help people manage their own conditions with confidence | shorten the wait for mental health support | close the gap in healthy life expectancy
activity: rewrote the appointment letters in plain English | mapped the patient journey from referral to discharge | tested a new booking system with {num_people} patients | trained as peer supporters | co-designed a waiting room that feels welcoming | set up a patient panel that meets every {month_gap} | ran drop-in health checks at {venue} | produced a jargon-free guide to the service | chose a new call system that works for everyone on the ward | helped interview candidates for the new clinical lead post | recorded short films about what to expect at the clinic | co-facilitated self-management courses with clinicians | reviewed every patient leaflet the clinic uses | walked the hospital corridors to test the new signs | designed a discharge checklist with ward staff | ran health walks twice a week
result: missed appointments fell by a third | patients now help set the clinic's priorities | the new letters are used across the health board | people say they feel listened to | complaints to the service dropped | waiting times came down | the peer support group now runs itself | the new signs are being rolled out to every hospital site | readmissions within thirty days fell
thing: a patient-designed welcome pack | an easy-read guide to the clinic | a new call-button system | a self-management toolkit | a patient charter | a shared care plan | a discharge checklist | a peer support group
feature: a quiet waiting area | text message reminders | evening and Saturday clinics | a named nurse for every patient | large-print appointment letters | a patient information screen | a hearing loop at reception | colour-coded signs | a buzzer that vibrates as well as rings | a self-check-in kiosk
term: social prescribing | anticipatory care | frailty | polypharmacy | telehealth | video consultations | self-management | triage | patient-reported outcomes | realistic medicine | shared decision-making | waiting-list validation | health literacy | peer support | pulmonary rehabilitation | blood pressure monitoring | long COVID | menopause support | perinatal mental health | cancer prehabilitation | hospital at home | community link working | health inequalities | screening uptake | person-centred care
job: practice nurse | GP | community link worker | health improvement officer | physiotherapist | community nurse | clinical nurse specialist
title: Patient Panel | Clinic Redesign | Peer Support for Long-term Conditions | Waiting Room Makeover | Patient Letters Review | Hospital Wayfinding | Self-management Programme | Health Champions | Community Health Checks | Planning Discharge Together | Mental Health Service Redesign | Patient Experience Group | Buzzer System for the Ward | Health Walks | Diabetes Clinic Redesign | Cardiac Rehab Reimagined
""",
    "social-care": """
people: people who use social care | people receiving care at home | unpaid carers | people living with dementia and their families | adults with complex needs | people using day services | families of care home residents | people with lived experience of social work | young adult carers | people who employ their own personal assistants
person: a man who was finding it hard to manage his own care | a woman caring for her husband with dementia | a young adult leaving residential care | an older man living alone after his wife died | a carer juggling work and caring | a woman who employs her own personal assistants
service: the care at home service | the day centre | self-directed support | the social work team | the respite service | the reablement service | the care home | the carers support service | the adult assessment process | the occupational therapy service | the telecare service | the personal assistant scheme
staff: care managers | social workers | care at home staff | support workers | occupational therapists | day centre staff | the self-directed support team | commissioning officers | reablement workers | care home staff
venue: the day centre | the care home lounge | the local resource centre | the carers centre | the community hub | people's own homes | the council's area office
issue: rigid care visit times | long assessment forms | carers reaching breaking point | a lack of respite options | the planned closure of the day centre | people feeling cut off from their communities | confusing information about self-directed support | care packages that did not change as needs changed | a shortage of care workers in rural areas
need: care visits came at times that suited the rota rather than the person | they wanted more say over how their budget was spent | they felt cut off from other people | the assessment felt like a test they could fail | carers did not know what help they were entitled to | day services offered activities nobody had chosen | they had to tell their story again and again | respite was booked months ahead or not at all | support stopped at the council boundary
aim: put people in charge of their own support | give carers a proper break | replace the day centre with something people would choose | build support around people's strengths | make self-directed support easier to understand | help people stay in their own homes | recruit care workers from within the community
activity: worked out a support plan together around what each person could offer | set up a carers' forum that meets at {venue} | redesigned the assessment conversation | agreed personal budgets that can be spent flexibly | ran a series of kitchen-table conversations with {num_people} carers | chose the activities for the new community-based day opportunities | wrote an easy-read guide to self-directed support | trained alongside care staff in good conversations | shaped the specification for the new care at home contract | helped recruit support workers | tested a respite booking system that carers can use themselves | mapped the community activities already on people's doorsteps
result: people now choose when and how they are supported | carers report feeling less alone | the new day opportunities are fully booked | assessments take less time and feel less like an interrogation | fewer people reach crisis before asking for help | care workers were recruited from the local community | the carers' forum now advises the integration joint board
thing: a personal budget | an easy-read guide | a carers' charter | a good conversations approach | community-based day opportunities | a respite booking system | a micro-enterprise care scheme
feature: a named worker for every family | a flexible personal budget | a carers' emergency card | evening and weekend support | a one-page profile for each person | a shared care diary | a sitting service for carers | a peer support network for personal assistant employers
term: self-directed support | personal assistants | direct payments | eligibility criteria | reablement | telecare | respite | short breaks | adult support and protection | outcome-focused assessment | strengths-based practice | good conversations | carers' support plans | micro-enterprises | community brokerage | day opportunities | anticipatory care planning | power of attorney | guardianship | charging policy | care at home | personal outcomes
job: social worker | care manager | occupational therapist | support worker | self-directed support adviser | carers' support worker
title: Self-directed Support Made Simple | Carers Voice | Good Conversations | Day Opportunities Redesign | Care at Home Co-design | Carers Breaks Together | Personal Budgets Pilot | Reablement Review | Community Connections | Co-production on a One to One Basis | Micro-enterprises in Care | Respite Your Way
""",
    "housing": """
people: tenants | older tenants | residents of the scheme | families on the housing waiting list | young people leaving care | tenants with learning disabilities | homeless people in temporary accommodation | people living in the high-rise flats | private renters | tenants and their families and carers | owner-occupiers on the estate
person: a tenant in her eighties | a young man moving into his first tenancy | a family living in temporary accommodation | a wheelchair user waiting for an adapted home | a care leaver starting out on his own
service: the repairs service | the amenity housing scheme | the allocations policy | the tenancy sustainment service | the sheltered housing service | the estate management service | the homelessness service | the adaptations service | the tenant participation strategy | the rent-setting process | the regeneration programme
staff: housing officers | the tenancy support team | the repairs team | the housing strategy team | estate caretakers | the regeneration team | the allocations team | the project team | architects and builders
venue: the communal lounge | the tenants' hall | the sheltered housing complex | the estate office | the community flat | the concierge station | the show flat
issue: damp and condensation | long waits for repairs | empty homes that were hard to let | antisocial behaviour on the stairs | small bedsits that no longer met people's needs | a lack of adapted housing | rising rent arrears | poor lighting in the closes | the state of the back courts | overcrowding | high heating bills | the quality of temporary accommodation
need: the small flats no longer met their needs | repairs took months and nobody kept them informed | the estate felt neglected | they had no say in how the rent was spent | the homes were cold and expensive to heat | the allocation letters were impossible to follow | they wanted to live near family and support | the scheme was becoming hard to let | temporary accommodation left families in limbo for months | their current home was no longer right for their needs
aim: create homes people would choose to live in | make the estate somewhere people are proud of | give tenants a real say in the repairs service | help people keep their tenancies | bring empty homes back into use | design homes around the people who will live in them | make homes warmer and cheaper to heat
activity: chose the kitchen and bathroom layouts | scored the contractors at tender evaluation | walked the estate with housing officers every month | co-designed the communal areas | helped rewrite the allocations policy | formed a tenants' scrutiny panel | held cream tea afternoons to keep neighbours connected | agreed the priorities for the {money} improvement programme | tested the new repairs reporting app | helped plan the moves into the refurbished flats | produced a regular newsletter for residents | decided how the community benefit budget was spent | visited other schemes to see what worked | chose the colours and finishes for the entrance halls
result: every home in the scheme is now let | repairs are completed faster | tenants run their own events in the communal lounge | rent arrears fell | the estate has a waiting list for the first time in years | tenants now sit on the board's scrutiny committee | the whole group moved at the same time and settled well | heating bills fell for most households
thing: self-contained one-bedroom flats | a tenant scrutiny panel | a new repairs standard | a core and cluster design | a tenants' newsletter | an estate walkabout programme | a tenancy welcome pack
feature: new kitchens and bathrooms | external wall insulation | a communal lounge | a community garden in the back court | secure bike storage | a concierge service | better lighting in the closes | a guest room for visiting families | level-access showers | a digital notice board
term: allocations | choice-based lettings | tenancy sustainment | rent arrears | void properties | damp and mould | energy efficiency | retrofit | fuel poverty | scrutiny | tenant participation | housing first | rapid rehousing | temporary accommodation | homelessness prevention | mid-market rent | adaptations | sheltered housing | amenity housing | estate regeneration | service charges | the Scottish Social Housing Charter
job: housing officer | tenancy support officer | tenant participation officer | repairs manager | estate caretaker | regeneration officer
title: Refurbishment Project | Tenant Scrutiny Panel | Homes Designed Together | Estate Walkabouts | Repairs Review | Tenancy Sustainment | Back Courts Improvement | Housing Options Redesign | Homes for Young People Leaving Care | Sheltered Housing Renewal | Empty Homes Back into Use | Homes for People with Learning Disabilities | Warm Homes Together
""",
    "youth-work": """
people: young people | teenagers on the estate | young carers | LGBT young people | care-experienced young people | young people not in work, education or training | members of the youth club | young people from minority ethnic communities | young people in rural villages
person: a 16-year-old young carer | a young man excluded from school | a care-experienced young woman | a 14-year-old who had stopped going to school
service: the youth club | the detached youth work service | the youth work offer | the holiday programme | the young carers service | the youth participation strategy | the midi youth club | the youth employability programme
staff: youth workers | the Community Learning and Development team | detached youth workers | sessional workers | the youth participation officer | front-line youth workers and managers
venue: the youth café | the community centre | the skate park | the school games hall | the youth hub | the library | the sports centre
issue: nothing to do in the evenings | youth provision that duplicated what others offered | a lack of safe places to meet | young people having no route to influence decisions | the closure of the youth club | poor bus links to activities | young people being moved on from the park
need: they had no say in the services meant for them | there was nowhere to go after eight o'clock | activities were planned by adults for adults' reasons | they felt judged when they gathered in the park | nobody listened when they raised issues | the last bus left before sessions ended | the youth work offer was no longer fit for purpose
aim: give young people a voice in their area | build a youth work offer young people actually want | make the youth club a place young people help run | give young people a route to influence decisions | join up youth work across the area
activity: formed a youth voice group that chooses its own campaigns | interviewed candidates for the youth worker post | planned the summer programme on a budget of {money} | ran a survey of {num_people} young people | designed and painted the new youth café | put their views to the residents association | managed a small grants fund for youth projects | ran peer sessions on consent and healthy relationships | presented their findings to the full council | spent a term working in each other's clubs | filmed a documentary about growing up in {town}
result: young people now choose the club's activities | the youth voice group has its own seat at the locality partnership | attendance doubled | young people say adults take them seriously | the youth café opens four nights a week | the model is being used to develop a similar approach elsewhere
thing: a youth voice group | a service level agreement | a young people's charter | a youth-led grants panel | a youth café | a shared outcome framework
feature: a games room | a recording studio | a kitchen where young people cook together | a chill-out space | free wifi | a pool table | a climbing wall | a graffiti wall | late-night opening on Fridays
term: detached youth work | youth participation | the UNCRC | children's rights | youth voice | peer education | positive destinations | the Duke of Edinburgh's Award | youth awards | young carers' statements | holiday programmes | outdoor learning | residential trips | youth-led grant-making | safe spaces | street work | digital youth work | LGBT inclusion | transitions
job: youth worker | detached youth worker | youth participation officer | sessional youth worker
title: Community Youth Voice | Young Inspectors | Youth Café | Youth-led Grants | Summer Programme Planned by Young People | Detached Youth Work Review | Young Carers Voice | Youth Participation Strategy | Youth Work Partnership | Skate Park Design Team
""",
    "community-learning": """
people: adult learners | community groups | learners with English as a second language | parents returning to learning | people with low literacy | volunteers and learners | members of local community groups | older learners | people looking for work
person: a father who left school without qualifications | a woman learning English after arriving as a refugee | a grandmother who wanted to video-call her family
service: the Community Learning and Development plan | the adult literacy service | the ESOL programme | community-based learning | the learning partnership | the digital skills programme | the family learning service
staff: CLD workers | adult learning tutors | community development workers | ESOL tutors | the learning partnership coordinator | library staff
venue: the community centre | the library | the learning centre | the church hall | the local primary school | the community flat | the village hall
issue: fragmented planning of learning | classes at times nobody could manage | digital exclusion | a lack of ESOL places | courses chosen without asking learners | falling numbers at evening classes
need: courses were planned without asking learners | they could not get online to apply for jobs | the classes clashed with childcare | learning was planned separately by every agency | they wanted to learn in their own community | the inspectorate had called for more joined-up planning
aim: plan learning jointly with communities | bring learning into every neighbourhood | help people get online with confidence | give learners a say in what is offered | join up the planning of learning across the area
activity: set up learning community partnerships in every high school catchment | mapped all the learning on offer | ran learner voice events | trained {num_people} digital champions | co-wrote the three-year CLD plan | chose the courses for the new term | ran a learning festival | produced a community learning directory | set up a conversation café for new Scots | paired volunteers with learners one to one
result: learners now help plan the programme | more learners progressed to college | digital champions support their neighbours | learning is planned jointly across agencies | the learning partnerships now meet every term
thing: learning community partnerships | a learner voice forum | a community learning directory | a three-year CLD plan | a conversation café
feature: a crèche | free laptops to borrow | evening classes | a conversation café | weekend drop-ins | a learning directory in six languages | one-to-one digital support
term: adult literacies | ESOL | family learning | digital inclusion | community capacity building | learner voice | the CLD plan | progression routes | core skills | accredited learning | volunteering pathways | learning hubs | blended learning | community-based adult learning | numeracy | conversation cafés
job: CLD worker | adult learning tutor | ESOL tutor | community development worker | librarian
title: Learning Community Partnerships | Learner Voice | Digital Champions | Community Learning Plan | ESOL in the Community | Family Learning Together | Conversation Café | Get Online
""",
    "parks-and-environment": """
people: local residents | families | volunteers | members of the friends group | allotment holders | children and parents | park users | pupils and residents | walkers and cyclists
person: a retired gardener | a mum of three who wanted somewhere safe to play | a keen birdwatcher
service: the parks service | the play area programme | the grounds maintenance contract | the open spaces strategy | the waste and recycling service | the path network | the flood protection scheme
staff: the greenspace team | rangers | the project manager | landscape architects | grounds maintenance staff | the waste services team
venue: the play park | the community garden | the riverside path | the woodland | the allotments | the old bowling green | the multi-use games area | the nature reserve
issue: a run-down play area | litter and fly-tipping | overgrown paths | a lack of safe places to play | vandalism | a derelict site | flooding on the riverside | dog fouling
need: there were very few suitable play areas for the families who live there | the park felt unsafe after dark | the paths were impassable in winter | fly-tipping was getting worse | the green space had been neglected for years | children had nowhere to ride their bikes
aim: create a park the community is proud of | give families safe places to play | bring the derelict site back into community use | look after local green spaces together | link the park to the wider path network
activity: drew up a wish-list of play equipment | chose the design and contractor at tender evaluation | planted {num_people} trees | cleared the old railway path | ran monthly litter picks | raised {money} for new equipment | designed a bike skills area | set up a community growing space | took on the lease of the bowling green | surveyed {num_people} park users | built raised beds with pupils from the local school
result: the play area is busy every day | fly-tipping fell sharply | the friends group now manages the park | the new paths link with the wider network | volunteers maintain the garden all year round
thing: a bike skills area | a multi-use games area | a community orchard | new paths | a wildflower meadow | a growing space
feature: a bike skills area | a multi-use games area | new swings and a zip wire | accessible paths | picnic benches | a sensory garden | raised planters | a wildflower meadow | a pond with a dipping platform | solar-powered lighting | a community orchard
term: biodiversity | rewilding | green infrastructure | active travel | flood resilience | community growing | allotments | the land reform agenda | tree planting | pollinators | path networks | play sufficiency | community asset transfer | littering | fly-tipping | food growing strategy | climate action | nature-based solutions | open space audits
job: ranger | greenspace officer | project manager | landscape architect | grounds maintenance supervisor
title: Freedom Park | Play Area Renewal | Community Orchard | Friends of the Park | Riverside Path | Growing Space | Green Gym | Litter-free Streets | Woodland Regeneration | Bike Skills Park
""",
    "community-safety": """
people: residents | shopkeepers | young people | older residents | victims of crime | families on the estate | members of the residents association | women who walk home late from work | bus drivers and passengers | parents at the school gates
person: an older woman afraid to go out after dark | a shopkeeper targeted by repeated theft | a young man who had been stabbed | a mother whose car was set alight
service: the community safety partnership | neighbourhood policing | the antisocial behaviour unit | the CCTV service | the street lighting programme | the home fire safety service | the community warden service | the hate crime reporting service | the road safety programme
staff: community police officers | community wardens | the safer communities team | fire safety officers | antisocial behaviour officers | road safety officers | the local policing inspector and her team
venue: the shopping parade | the underpass | the park | the bus station | the closes and stairwells | the community police office | the fire station | the school gates
issue: antisocial behaviour | feeling unsafe after dark | deliberate fires | drug dealing in the stairwells | speeding traffic | repeat burglaries | scams targeting older people | hate crime | knife crime among teenagers | off-road motorbikes on the paths | vandalism at the bus shelters
need: they felt unsafe walking home after dark | antisocial behaviour was going unreported | nobody acted on their complaints | the underpass had become a no-go area | deliberate fires were starting every weekend | they did not know their local officers | cars raced along the main road past the primary school | older people were being targeted by doorstep callers
aim: make the streets feel safe again | tackle antisocial behaviour together | build trust between residents and the police | keep older people safe from scams | cut deliberate fire-setting | make the route to school safer
activity: walked the area with police officers at night | mapped hot spots of antisocial behaviour | chose the priorities for neighbourhood policing | set up a community safety forum | took part in {num_people} home fire safety visits | designed the new lighting in the underpass | ran scam awareness sessions in {venue} | trained as community safety champions | painted a mural on the underpass walls | ran a speed-watch scheme with officers | set up a Safe Places scheme with local shops | ran diversionary football on Friday nights
result: reports of antisocial behaviour fell | deliberate fires dropped | residents say they feel safer | the underpass is used again | residents set the policing priorities every quarter | speeding outside the school fell | more hate crimes are reported and acted on
thing: a community safety forum | new lighting | a residents' priorities panel | a scams awareness toolkit | a Safe Places scheme | a speed-watch scheme
feature: brighter LED lighting | a mural painted by local young people | new CCTV at the shopping parade | gates on the back lanes | a 20mph zone outside the school | a direct number for community wardens | cut-back hedges along the path
term: community policing | antisocial behaviour | hate crime | road safety | home fire safety visits | deliberate fire-setting | CCTV | environmental visual audits | the night-time economy | street drinking | doorstep crime | Safe Places | restorative approaches | community wardens | knife crime prevention | violence reduction
job: community police officer | community warden | fire safety officer | antisocial behaviour officer
title: Safer Streets | Community Safety Forum | Residents Set the Priorities | Night Walks | Scams Awareness | Fire Safety Together | Underpass Transformation | Safe Places | Speed Watch | Friday Night Football
""",
    "alcohol-and-drugs": """
people: people in recovery | families affected by drug and alcohol use | residents | people who use services | young people at risk | community health volunteers | people with lived and living experience | women in recovery | members of the recovery community
person: a man three years into recovery | a mother whose son was using heroin | a woman who had been drinking heavily since her teens | a grandfather bringing up his grandchildren because of his daughter's drug use
service: the alcohol and drug partnership | the recovery service | the needle exchange | the treatment service | the naloxone programme | the family support service | the community alcohol service | the residential rehabilitation pathway
staff: recovery workers | the ADP support team | addiction nurses | peer workers | outreach workers | the harm reduction team | GPs and pharmacists
venue: the recovery café | the community hub | the treatment centre | the church hall | the pharmacy | the health centre | the recovery garden
issue: alcohol-related hospital admissions above the regional average | adults buying drink for children | drug-related deaths | long waits for treatment | stigma around addiction | the number of off-licences in a small area | people dropping out of treatment
need: services were built around appointments people could not keep | families had nowhere to turn | the community wanted a say in how harm was tackled | stigma stopped people asking for help | young people could get alcohol too easily | people leaving rehab had no support once they got home | the treatment centre was two bus journeys away
aim: strengthen the community's own response to alcohol harm | build a recovery community | make treatment easier to reach | give families a voice | cut drug-related deaths | make recovery visible in the town
activity: trained community health volunteers | heard the views of {num_people} residents | set up a recovery café | ran a feedback event | co-wrote the local alcohol action plan | handed out naloxone kits | mentored people through treatment | campaigned on proxy purchasing | organised a recovery walk through {town} | set up a family support group | reviewed licensing applications with the licensing forum | designed a same-day access clinic with staff
result: the recovery café opens five days a week | residents' concerns fed into licensing decisions | more people entered treatment | peer mentors now work alongside staff | fewer people drop out of treatment | the family support group meets every week
thing: a recovery café | a community alcohol action plan | a peer mentoring scheme | naloxone kits | a same-day access clinic | a family support group
feature: a drop-in open every weekday | peer mentors on every shift | naloxone training for families | a recovery garden | a helpline answered by people in recovery | a same-day prescribing service
term: harm reduction | naloxone | recovery communities | lived and living experience | the MAT standards | same-day prescribing | residential rehabilitation | peer recovery | stigma | proxy purchasing | licensing | overprovision | drug-related deaths | whole-family approaches | recovery orientated systems of care | outreach
job: recovery worker | addiction nurse | peer worker | outreach worker
title: Listening to the Community | Recovery Café | Peer Mentoring | Family Support Network | Community Alcohol Plan | Recovery Walk | Same-day Access | Naloxone in the Community | Recovery Garden
""",
    "disability": """
people: disabled people | people with learning disabilities | people with sensory impairments | wheelchair users | autistic adults | people with a personal interest in disability information | families of disabled children | Deaf BSL users | blind and partially sighted people | people with long-term neurological conditions
person: a wheelchair user | a young man with a learning disability | a Deaf woman who uses BSL | an autistic teenager | a father of a disabled child
service: the disability information service | the learning disability service | the transport service | the accessible information policy | the day opportunities service | the equipment service | the blue badge service | the short breaks service
staff: the learning disability team | support providers | access officers | the equipment store team | speech and language therapists | the short breaks team
venue: the resource centre | the town hall | the leisure centre | the library | the high street | the railway station
issue: inaccessible buildings | information that was not in accessible formats | a lack of accessible transport | the closure of the information service | being talked about rather than talked to | the lack of a changing places toilet | long waits for equipment
need: the information service had closed | buildings in the town centre were hard to get into | leaflets were not available in easy read or BSL | decisions were made about them without them | there was nowhere to change an adult safely in the town centre | short breaks had to be booked a year ahead
aim: create an information service for the whole region | make the town centre accessible | give disabled people a say in services | make information accessible to everyone | give families of disabled children a real break
activity: formed a small working group | talked to people at pop-up shops | audited {num_small} buildings for access | produced easy-read versions of key documents | became health champions | formed a citizens panel | sat on the interview panel | formed the interim board of the new service | tested the new website with screen readers | chose the location for a changing places toilet | filmed BSL versions of council information
result: the new service covers the whole region | disabled people now sit on the board | access improvements were made to town-centre buildings | information is published in easy read as standard | the town now has a changing places toilet | families book short breaks online in minutes
thing: an access audit | easy-read information | an interim board | a citizens panel | a changing places toilet | BSL videos
feature: ramped entrances | a hearing loop | easy-read signs | a changing places toilet | wider doorways | tactile paving | a quiet room | large-print menus
term: accessible information | easy read | British Sign Language | reasonable adjustments | changing places toilets | independent living | the social model of disability | self-advocacy | assistive technology | access audits | blue badges | inclusive design | supported employment | autism assessment | learning disability health checks
job: learning disability nurse | access officer | speech and language therapist | support worker
title: Accessible Information | Access Audit | Health Champions with a Learning Disability | Local Citizens Panels | Disability Information Service | Easy Read for Everyone | Changing Places | BSL First | Short Breaks Your Way
""",
    "older-people": """
people: older people | older residents living alone | people living with dementia | carers of older people | members of the lunch club | older people in rural villages | older people from minority ethnic communities | people in their eighties and nineties
person: a widower in his eighties | a woman with early-stage dementia | a retired miner living alone | a former nurse who had recently given up driving
service: the lunch club | the befriending service | the falls prevention service | the dementia support service | the community transport scheme | the day care service | the home library service | the handyperson service
staff: community connectors | befrienders | the falls team | dementia advisers | the home library volunteers | care and repair staff
venue: the village hall | the church hall | the community café | the sheltered housing lounge | the library | the bowling club
issue: loneliness | falls at home | a lack of transport to appointments | the closure of the day centre | doorstep scams | the loss of the local bus service | digital exclusion among older people
need: they felt lonely, especially in winter | there was no transport to the town | they wanted to stay in their own homes | the day centre did not offer what they wanted | the bank and post office had closed | appointments were now booked online only
aim: reduce loneliness | help older people stay independent at home | make the town dementia-friendly | build connections between generations | keep older people connected to their communities
activity: set up a lunch club | organised befriending visits | ran tea dances | trained as dementia friends | mapped {num_small} community groups that welcome older people | ran intergenerational sessions with local pupils | planned a community transport route | shared memories in a reminiscence group | ran digital drop-ins with volunteers from the high school | tested a telephone befriending service | organised chair exercise classes
result: loneliness scores fell | the lunch club is run by volunteers | more older people stay at home for longer | shops signed up as dementia-friendly | the community bus runs three days a week | falls among participants fell
thing: a lunch club | a befriending scheme | a dementia-friendly charter | a community transport route | a telephone befriending service | a memory café
feature: a weekly lunch cooked by volunteers | a minibus with a wheelchair lift | a memory café | chair-based exercise | a reminiscence box | a handyperson service
term: loneliness | befriending | dementia-friendly communities | falls prevention | intergenerational practice | community transport | digital exclusion | power of attorney | post-diagnostic support | memory cafés | age-friendly places | active ageing | unpaid carers | home from hospital | handyperson services
job: community connector | befriending coordinator | dementia adviser | falls practitioner
title: Lunch Club | Befriending Network | Dementia-friendly Town | Tea Dances | Intergenerational Project | Falls Prevention Together | Community Connectors | Memory Café | Community Bus | Digital Drop-ins
""",
    "children-and-families": """
people: parents | families | care-experienced children | kinship carers | young parents | children and their families | foster carers | dads | families living on low incomes | parents of children with additional needs
person: a single mum with three children | a kinship carer raising her grandchildren | a young dad who had just left care | a foster carer of twenty years
service: the family support service | the early years service | the children's services plan | the looked-after children service | the nursery | the parenting programme | the school holiday food programme | the child protection process | the health visiting service
staff: health visitors | family support workers | social workers | nursery staff | early years practitioners | children's rights officers | the family nurse partnership team
venue: the family centre | the nursery | the school | the community hub | the soft play centre | the children's centre
issue: child poverty | long waits for family support | a lack of childcare | isolation of new parents | children's voices going unheard | holiday hunger | the stress of child protection meetings
need: parents did not know where to go for help | families felt judged by services | support only arrived in crisis | there was no childcare to let parents work | children went hungry in the school holidays | meetings about their children were full of jargon | care-experienced young people were moved without being asked
aim: support families early | put children's voices at the centre | give parents a say in services | end holiday hunger in the area | make child protection meetings less frightening for families
activity: ran a parent panel | co-designed the family support service | held a family fun day | produced a parents' guide | reviewed services as young inspectors | planned the holiday food and fun programme | redesigned the paperwork for child protection meetings | set up a dads' group | chose the toys and equipment for the new family room | wrote a charter for how workers should treat families
result: families are supported earlier | parents shape the service | children's views are heard | no family in the programme went hungry over the summer | families say meetings now feel fairer | the dads' group meets every Saturday
thing: a parent panel | a parents' guide | a family hub | a family charter | a holiday food and fun programme | a dads' group
feature: a family room | a free breakfast club | a toy library | a clothing bank | a quiet space for meetings | a baby massage class
term: the Promise | GIRFEC | early intervention | family support | kinship care | child poverty | holiday hunger | the cost of the school day | parenting programmes | perinatal support | corporate parenting | care-experienced young people | child protection | family group decision-making | children's rights
job: health visitor | family support worker | social worker | early years practitioner | children's rights officer
title: Family Hub | Parents' Panel | Young Inspectors | Early Years Together | Kinship Carers Voice | Holiday Food and Fun | Dads Matter | Family Charter | The Promise in Practice
""",
    "local-government": """
people: residents | community councils | citizens | local groups | community representatives | members of the citizens' panel | residents of the ward | young voters | tenants' and residents' associations
person: a community councillor | a retired headteacher who chairs the community council
service: the community plan | the budget process | the locality plan | the community asset transfer process | participatory budgeting | the council's consultation hub | the common good fund | the ward budget
staff: community planning officers | elected members | locality officers | council officers | the policy team | the participation team
venue: the town hall | the community centre | the library | the council chamber | the sports hall
issue: low trust in the council | decisions made far from communities | a shrinking budget | low turnout in elections | closures of local facilities | a sense that consultation changed nothing
need: decisions were made without them | the budget consultation felt like a done deal | they wanted to run local assets | they could not see what happened to their feedback | the ward budget was spent without local knowledge
aim: give communities a real say in spending | share power with communities | plan locally with residents | rebuild trust in local democracy | let communities run the assets they value
activity: ran a participatory budgeting event | voted on {money} of spending | drafted the locality plan | took over a community asset | ran a citizens' jury | scored {num_events} project bids | set the ward priorities for the year | held a community summit in {venue} | wrote the community engagement charter with officers
result: residents decided how the money was spent | community groups took over assets | turnout at community council elections rose | the locality plan is owned by residents
thing: a participatory budgeting process | a locality plan | a citizens' jury | a community engagement charter | a community asset transfer
feature: a voting day in every secondary school | an online vote open for two weeks | a plain-English budget guide | a community summit | a residents' scorecard
term: participatory budgeting | community planning | locality plans | community empowerment | community asset transfer | participation requests | citizens' juries | deliberative democracy | ward forums | community councils | place standard | community wealth building | place-based working | local democracy
job: community planning officer | locality officer | participation officer | ward councillor
title: Participatory Budgeting | Locality Plan | Citizens' Jury | Community Asset Transfer | Community Choices | Your Ward, Your Say | Community Summit
""",
    "criminal-justice": """
people: people with convictions | people on community payback orders | families of prisoners | victims | young people in the justice system | women in the justice system | people leaving prison
person: a young man leaving custody | a woman on a community payback order | a mother visiting her son in prison
service: the community payback service | the justice social work service | the prison visiting service | the restorative justice service | the women's justice service | the throughcare service
staff: justice social workers | prison officers | probation officers | throughcare workers | restorative justice facilitators
venue: the prison visitors' centre | the community payback workshop | the women's centre | the justice social work office
issue: reoffending | isolation of prisoners' families | unpaid work that did not benefit communities | people leaving prison without housing | women being sent to prison for short sentences
need: unpaid work projects did not help the community | families found visiting hard | people left prison on a Friday with nowhere to stay | women's needs were an afterthought in a system built for men
aim: reduce reoffending | make unpaid work meaningful | support prisoners' families | make sure no one leaves prison homeless | build a service around women's lives
activity: chose community payback projects | redesigned the visitors' centre | mentored people leaving prison | ran a restorative justice pilot | nominated projects for unpaid work teams | designed a women's centre with staff | met people at the prison gate on release day
result: reoffending fell | communities chose unpaid work projects | nobody in the pilot left prison homeless | families say visits feel less daunting
thing: a mentoring scheme | a visitors' centre | a women's centre | a gate-pickup service
feature: a children's play corner in the visitors' centre | a peer mentor for every person released | a community payback workshop making benches | a women-only space
term: community payback | unpaid work | throughcare | restorative justice | desistance | diversion from prosecution | bail supervision | the women's justice approach | trauma-informed practice | reintegration | prisoners' families | early release | community justice outcomes
job: justice social worker | throughcare worker | prison officer | restorative justice facilitator
title: Community Payback Choices | Visitors' Centre Redesign | Mentoring for Release | Women's Justice Centre | Restorative Justice Pilot | From the Gate
""",
    "education": """
people: pupils | students | parents | teachers and pupils | pupils with additional support needs | sixth-year pupils | college students | apprentices | the pupil council
person: a pupil with additional support needs | a first-year student who nearly dropped out
service: the school curriculum | the transition programme | the school meals service | the additional support for learning service | the college's student support service | the homework club | the school uniform policy
staff: teachers | pupil support staff | guidance teachers | lecturers | the headteacher | student advisers
venue: the school | the college campus | the playground | the school library | the dining hall
issue: bullying | the attainment gap | difficult transitions | exclusions | the cost of the school day | students dropping out in first year
need: pupils had no say in school decisions | the move to high school was frightening | the cost of trips and uniform kept some pupils out | students did not know where to get help
aim: give pupils a voice | close the attainment gap | make transitions easier | cut the cost of the school day | keep students on their courses
activity: ran a pupil parliament | co-designed the transition programme | redesigned the playground | evaluated teaching with lecturers | set up a uniform swap | rewrote the anti-bullying policy | planned a peer mentoring scheme for new students
result: pupils shape school decisions | exclusions fell | more students completed their courses | the uniform swap is used by most families
thing: a pupil parliament | a transition programme | a uniform swap | an anti-bullying policy written by pupils
feature: a quiet space at lunchtime | buddy benches | a free breakfast club | a peer mentor for every first-year
term: pupil voice | the attainment gap | the Pupil Equity Fund | transitions | additional support for learning | the cost of the school day | mentoring | youth employment | nurture groups | restorative practice | rights-respecting schools | curriculum design | student partnership agreements | learner journeys
job: guidance teacher | depute headteacher | pupil support assistant | lecturer | student adviser
title: Pupil Voice | Transition Programme | Playground Redesign | Student Partnership | Cost of the School Day | Peer Mentors
""",
    "other": """
people: residents | community members | local businesses | volunteers | visitors | members of the development trust | villagers | artists and makers
person: a local shop owner | a retired engineer
service: the community hub | the local bus service | the heritage project | the community broadband scheme | the arts programme | the community energy scheme | the town centre plan
staff: development officers | project staff | volunteers | the regeneration officer
venue: the old school building | the town hall | the community hub | the former bank | the railway station building
issue: a derelict building | poor bus services | the loss of local services | empty shops on the high street | slow broadband in rural areas
need: the building had stood empty for years | the bus service had been cut | the last shop in the village was closing | broadband was too slow for people to work from home
aim: bring a derelict building back into community use | keep local services open | revive the high street | bring faster broadband to the valley
activity: raised {money} | turned a derelict building into a hub | ran a community share offer | ran heritage walks | opened a community shop run by volunteers | installed solar panels on the hall roof | took over the empty bank building
result: the community owns the hub | the bus route was saved | the village shop is open six days a week | the hub hosts {num_small} groups every week
thing: a community hub | a community share offer | a community shop | a community energy scheme
feature: a café | a hot-desk space | a community shop | meeting rooms | a heritage exhibition | solar panels on the roof
term: community ownership | community shares | development trusts | community energy | broadband | heritage | town centre regeneration | community wealth building | the circular economy | local food | rural transport | repair cafés | placemaking
job: development officer | project coordinator | regeneration officer | volunteer coordinator
title: Community Hub | Heritage Trail | Community Share Offer | Village Bus | Community Shop | High Street Revival | Community Energy
""",
}

GENERAL_TEXT = """
method: a series of workshops | kitchen-table conversations | an online survey | a door-to-door survey | pop-up stalls at local events | focus groups | a community conversation event | a questionnaire | street surveys | one-to-one interviews | an open day | a world café event | story-gathering sessions | photo walks | a postcard campaign
co_verb: redesigned | reviewed | reshaped | rebuilt | rethought | planned | improved | transformed
frequency: every fortnight | once a month | every week | every six weeks | each quarter
support_offer: travel costs and childcare paid | refreshments and a crèche | interpreters where needed | easy-read papers sent out in advance | a quiet room and flexible breaks | expenses paid on the day
partner_help: provide a venue free of charge | facilitate the sessions | cover transport costs | train the volunteers | lend staff time | host the steering group | help with the funding bid | evaluate the project
partner_did: provided a venue free of charge | trained the volunteers | paid for transport to meetings | facilitated the workshops | gave staff time to run the conversations | helped write the funding application | evaluated the work | managed the budget | offered legal advice on setting up the new organisation | provided a registered base
toolkit: the Co-production Star | a simple co-production checklist | the National Standards for Community Engagement | a shared planning template | the five-step co-production journey | a theory of change agreed by everyone
quality: honest | open | practical | patient | regular | informal | respectful | frank | friendly | early | careful | well-prepared | flexible
barrier: jargon in the papers | meetings held in office hours | short-term funding | staff changes | the length of the procurement process | travel across a large rural area | winter weather | COVID-19 restrictions | data-sharing rules | differing expectations between partners | the pace of decision-making in large organisations | a shortage of volunteers
fix: moved meetings to evenings | rewrote the papers in plain English | met online as well as in person | agreed ground rules together | brought in an independent facilitator | shared the chairing | paid people's travel costs | split the work into smaller tasks
comm_channel: a regular newsletter | social media | the community noticeboard | a WhatsApp group | drop-in sessions | the local paper | a short film | open meetings
training_topic: co-production | good conversations | trauma-informed practice | chairing meetings | safeguarding | equality and diversity | evaluation | recruitment and selection | digital skills | mental health first aid
staff_activity: handled the technical side | kept the project on budget | took the ideas back to managers | removed barriers inside the organisation | wrote up each meeting in plain English | arranged the venues and transport
support_verb: facilitated | funded | hosted | backed | championed | supported
long_time: years | a long time | more than a decade | several years | as long as anyone could remember
quote: We are the experts in our own lives | Nobody ever asked us before | We want to be part of the answer, not the problem | It felt like things were done to us, not with us | We know what works here | Just listen to us | We were tired of being consulted and then ignored | Give us a chance and we will show you | Nobody knows this place better than the people who live here | We did not want another leaflet, we wanted a say | It is our service too | For once, we were not just a box to tick | Ask us first, not last | We have been saying this for years
lesson: start small and build trust | involve people from the very beginning | be honest about what is not possible | pay people's expenses | share power, not just information | celebrate small wins | keep the language plain | make time for relationships
improve_past: involved more young people | paid people for their time | shared the budget openly | agreed how decisions would be made | met in the evenings | produced papers in easy read | set up a shared email list | planned how to keep going after the funding ended
improve_action: involve people who were less confident at first | agree roles at the start | reach people who do not use services at all | plan for funding beyond the pilot | feed back to everyone who took part | recruit more volunteers | share the learning with other areas | measure outcomes from the start | keep people involved once the building work was finished
feeling_neg: invisible | frustrated | worn out | fobbed off | talked down to | alone | anxious | powerless
feeling: valued | listened to | respected | more confident | part of something | proud | trusted | in control
time_marker: Early on | From the start | In the first few months | Later | Alongside this | At the same time | Over the following year | By the end of the first phase | Meanwhile | In parallel | Once the plan was agreed | Towards the end of the project
opener_link: As a result | Because of this | In response | With that in mind | On that basis | Building on this
asset: the community hub | the old school | the village hall | the community garden | the bowling green | the church hall | the former library | the swimming pool
small_funds: Common Good funding | small grants from the area partnership | developer contributions | ward budgets | local fundraising | a crowdfunding campaign | windfarm community benefit funds
method_short: survey | door-to-door survey | street survey | questionnaire | postal survey | online poll
quote_intro: One parent said | A tenant summed it up | In the words of one volunteer | One young person told us | As a carer put it | One of the residents said | A member of the group explained | Someone at the first meeting said
skill: bookkeeping | joinery | cooking | social media | minute-taking | gardening | first aid | fundraising | photography | translation | event planning | plumbing | graphic design | sign language | counselling | painting and decorating | web design | tenancy law | childcare | hairdressing | coaching football | running a business | writing funding bids | IT support | drama | music | sewing | driving a minibus | nursing | teaching | accountancy | chairing meetings | public speaking | filmmaking | baking | bike repair | welding | storytelling | data analysis | retail
pastime: knitting | chair yoga | woodwork | bread-making | photography | seed-swapping | bike maintenance | board games | karaoke | Zumba | boccia | walking football | tai chi | storytelling | ceilidh dancing | allotment gardening | upcycling furniture | pottery | creative writing | fishing | choir practice | dominoes | darts | line dancing | quizzes | cookery demonstrations | film nights | beach cleans | bird watching | felting | jigsaw swaps | crafting | Nordic walking | litter picking | local history talks | family cooking | sound recording | model railways | bowls | table tennis
topic: budgeting | healthy cooking on a budget | benefits advice | tenancy rights | first aid | online safety | energy saving | managing medication | mental health awareness | job applications | money advice | healthy relationships | parenting teenagers | dementia awareness | fire safety | welfare rights | recycling | healthy eating | digital banking | keeping warm in winter | stress management | sleep | managing debt | personal safety | consumer rights | gambling harms | vaping | pensions | carers' rights | self-directed support
language: Polish | Urdu | Arabic | Gaelic | Welsh | Punjabi | Romanian | Mandarin | British Sign Language | Somali | Farsi | Tigrinya | Lithuanian | Bengali | Ukrainian | Portuguese | Irish | Slovak | Kurdish | Tamil
donation: paint | plants | timber | refreshments | prizes for the raffle | a minibus for the day | printing | laptops | a van and driver | garden tools | paving slabs | furniture | school uniforms | hot meals | flowers | sports kit | bulbs and compost | a marquee | office space | craft materials
volunteer_type: retired teachers | students from the college | parents from the school | a local joiner | members of the rotary club | young people doing their Duke of Edinburgh award | people in recovery | former service users | staff from a local bank | church members | sixth-year pupils | members of the women's institute | a retired architect | local councillors | off-duty firefighters | nursing students | people on community payback orders | refugees new to the area | the scout troop | members of the bowling club
meeting_place: the community centre | the church hall | the library | the leisure centre | a local café | the school | the pub function room | the village hall | the tenants' hall | the health centre | the football club | the fire station | the mosque | the gurdwara | a community flat | the miners' welfare | the bowling club | the back room of the chip shop | the museum | the sports pavilion
tool: sticky notes and a timeline on the wall | a Padlet board | photo voice | a graffiti wall | a mapping exercise | dot voting | a ballot box | a suggestion tree | talking mats | a large floor map | postcards to the future | a question wall | an online whiteboard | a ranking exercise | a walking interview | a budget game
season: over the winter | in the spring | during the summer holidays | in the autumn | over the festive period | during the school term | before the clocks changed | in the run-up to Christmas
job: development worker | project coordinator | volunteer coordinator | participation officer | locality manager | community development worker | welfare rights officer | business manager | community link worker | engagement officer
document: leaflet | tenancy agreement | appointment letter | guide | charter | newsletter | website | complaints form | welcome pack | consultation paper | action plan | annual report | information booklet | referral form
evidence: feedback forms | before-and-after questionnaires | stories collected by volunteers | attendance figures | a short film | an independent evaluation | photographs | case notes | the Warwick-Edinburgh wellbeing scale | a social return on investment study | focus groups at the end of the year | a community survey
food: soup and sandwiches | tea and scones | a hot two-course lunch | bacon rolls | home baking | curry cooked by volunteers | fruit from the community garden | pancakes | a Sunday roast | a shared buffet
weekday: Monday | Tuesday | Wednesday | Thursday | Friday | Saturday
goal_adj: clear | shared | ambitious | modest | realistic | simple | bold | practical
size_word: small | growing | lively | committed | diverse | close-knit | determined | mixed
obstacle_adj: unexpected | practical | familiar | serious | early | stubborn
praise: a game changer | the best thing to happen round here in years | a real partnership | the first time anyone had asked | proof that things can change | something to be proud of | a lifeline | worth every minute
first_name: Margaret | John | Mary | James | Ann | David | Elizabeth | Robert | Helen | William | Jean | Thomas | Susan | George | Linda | Ian | Karen | Andrew | Fiona | Peter | Sandra | Alan | Moira | Gordon | Catherine | Graham | Lorraine | Stuart | Janice | Colin | Aileen | Derek | Agnes | Hamish | Isobel | Morag | Callum | Shona | Kirsty | Jamie | Aisha | Mohammed | Priya | Tomasz | Agnieszka | Siobhan | Ciaran | Gwen | Rhys | Dylan | Sian | Owen | Bethan | Niamh | Declan | Sinead | Eilidh | Ruaridh | Mairi | Euan | Ewan | Kyle | Chloe | Leah | Liam | Jordan | Zara | Amir | Fatima | Yusuf | Olena | Dmitri | Grace | Harry | Ruby | Alfie | Poppy | Kayleigh | Brian | Sheena | Tam | Rab | Wilma | Doreen | Bernadette | Malcolm | Norma | Alistair | Alexander | Alison | Angus | Barbara | Bill | Carol | Christine | Craig | Dorothy | Douglas | Eleanor | Elaine | Eric | Frances | Gary | Gillian | Hazel | Heather | Irene | Jack | Jacqueline | Janet | Jim | Joan | Joyce | Kenneth | Kevin | Lesley | Lynn | Marion | Martin | Maureen | Michelle | Neil | Pamela | Patricia | Paul | Rachel | Ronald | Rose | Scott | Sheila | Steven | Valerie | Wendy | Abdul | Bilal | Hamza | Imran | Nadia | Sana | Zainab | Kasia | Marek | Piotr | Ana | Ioana | Mihai | Chidi | Ngozi | Kwame | Mei | Wei | Anh | Emre | Leyla | Hassan | Hodan | Layla | Noor | Callan | Cerys | Ffion | Gethin | Iwan | Llinos | Megan | Rhiannon | Aoife | Caoimhe | Cathal | Eoin | Orla | Padraig | Roisin | Seamus | Ailsa | Catriona | Fraser | Iona | Lachlan | Mhairi | Murdo | Morven | Struan | Torquil
resident_detail: was born and brought up in {town} | has lived in {place} for {num_small} years | volunteers at {meeting_place} | joined the group after a friend brought them along | cares for a family member | is a retired {job} | had never been to a public meeting before | now chairs the group | moved to {town} {num_small} years ago | uses {service} every week | is in recovery and now mentors others | brought up four children in {place} | runs a small business on {street} | has been a volunteer for {num_small} years | first got involved through the school | lives on {street}
street: {street_stem} {street_type}
street_stem: Station | High | Church | Main | Mill | Victoria | Park | King | Queen | Bridge | School | Castle | North | Union | Albert | George | Greenfield | Hillside | Glebe | Orchard | Burnside | Moorfield | Rosebank | Wellington | Meadow | Hawthorn | Riverside | Canal | Fountain | Beech | Elm | Cedar | Rowan | Birch | Larch | Willow | Ash | Holly | Laurel | Thistle | Heather | Bracken | Linden | Abbey | Priory | Chapel | Market | Quarry | Colliery | Foundry | Harbour | Shore | Links | Loan | Kirkgate | Westgate | Eastgate | Southfield | Northfield | Woodside | Braeside | Hillcrest | Parkhead | Springfield | Summerhill | Westerton | Easterton | Ladywell | Lochside | Tweedside | Waverley | Marmion | Douglas | Wallace | Bruce | Montrose | Argyle | Balmoral | Dalhousie | Rutherford | Scott | Burns | Gladstone | Jubilee | Coronation | Festival | Millennium
street_type: Road | Street | Avenue | Crescent | Drive | Place | Court | Gardens | Terrace | Lane | Wynd | Brae | Close | Way | Grove | Row | View | Square | Walk | Park
atmos_adj: relaxed | welcoming | lively | noisy | friendly | down-to-earth | hopeful | honest | good-humoured | energetic | calm | respectful | informal | warm | challenging | purposeful | creative | sociable
agent: community | tenant | youth | volunteer | peer | user | carer | parent | family | resident | council | lottery | locally | pupil | patient | citizen | women | student | learner | survivor | refugee | member | grassroots | neighbourhood | village
participle: led | run | designed | funded | owned | chosen | driven | focused | friendly | centred | inspired | shaped | managed | produced | commissioned | delivered | assessed | built | written | organised | governed | nominated | evaluated | planned
item: kettles | a gazebo | laptops | a defibrillator | gardening tools | a minibus | paint | folding tables | a PA system | raised beds | a polytunnel | bike racks | a projector | picnic benches | a storage container | high-visibility vests | litter pickers | a pop-up banner | tablets | a sewing machine | a chest freezer | outdoor gym equipment | a wheelchair-accessible bus | a sensory room | a notice board | play equipment | a hearing loop | a coffee machine | tools for the men's shed | seed potatoes | a greenhouse | water butts | a camera | a laminator | a first aid kit | hand warmers | winter coats | fruit trees | a community fridge | a washing machine | board games | a karaoke machine | a dishwasher | an electric van | solar lights | a pool table | a pizza oven | a piano | bird boxes | a bouldering wall | an accessible toilet | a ramp | signage | leaflets | mobile phones | data top-ups | a cargo bike | a smoothie bike | a gas barbecue | a boat | a marquee | wellies | a shipping container | a kiln
landmark: the {surname} Hall | St {saint}'s Church | the {surname} Memorial Park | the old {surname} Mill | the {emblem} Centre | {surname} House | the {surname} Institute | the {emblem} Rooms | the Miners' Welfare | the old Co-op building | the {surname} Arms | the Corn Exchange | the Burgh Hall | the Drill Hall | the Masonic Hall
"""

# Sentence templates. Each field has openers (one is used first) and body sentences.
SUMMARY_OPEN = """
{people} in {place} worked with {lead} to {aim}.
{lead} and {community} set out to {aim} in {place}.
When {people} in {place} raised concerns about {issue}, {lead} agreed to work with them as equal partners rather than simply consult them.
This case study describes how {people} and {staff} in {place} {co_verb} {service} together.
In {place}, {lead} brought together {people}, {partner} and {community} to {aim}.
{community} asked for change to {service}, and {lead} responded by sharing the work with them from the start.
Faced with {issue}, {lead} and local people in {place} decided to {aim} together.
{people} told {lead} that {need}, so the two set out to {aim}.
{lead} worked alongside {people} and {partner} in {place} to {aim}.
{person_cap} and {staff} worked out together how to {aim}.
Over {duration}, {people} in {town} and {lead} {co_verb} {service} so that it works for the people who use it.
Prompted by concerns about {issue}, {community} and {lead} joined forces to {aim}.
"""

SUMMARY_BODY = """
Together they {activity}, and {result}.
{staff_cap} handled the technical side while {people} {activity}.
The partners {activity} and {activity2}.
Over {duration}, {people} {activity}, supported by {partner}.
The work was funded by {funder}, and {result}.
{people_cap} {activity}, and {staff} {staff_activity}.
With help from {partner}, they {activity}, and {result}.
{result_cap}, and {result2}.
People who had never been involved before {activity}, and {result}.
The result is {thing}, shaped at every stage by {people}.
The {agent}-{participle} approach means {result}.
"""

YOU_ASKED_OPEN = """
{people} in {place} told {lead} that {need}.
The request came from {community}, who said that {need}.
{people} had raised concerns about {issue} for {long_time}.
In {place}, {people} said that {need}.
{lead} heard again and again from {people} that {need}.
It started with {people} at {venue}, who felt that {need}.
{community} approached {lead} because {need}.
A {method_short} of {num_people} residents in {place} found that {issue} was their biggest worry.
{person_cap} contacted {lead} because {need}.
{staff_cap} could see that {need}, and {people} were saying the same thing.
At a packed meeting in {meeting_place}, {people} from across {town} explained that {need}.
{people} in {place} were clear: {need}, and they wanted to be part of putting it right.
"""

YOU_ASKED_BODY = """
Many said that {need}.
Others told us that {need2}.
{staff_cap} recognised the problem too: {need}.
Local figures showed that {issue} in {place} was getting worse, and nobody had asked the people most affected what would help.
Some had stopped using {service} altogether, and a few had given up asking for help of any kind.
There was also frustration about {issue2}, which people felt had been ignored.
{people_cap} wanted to help find the answer, not just be asked for their views once it had been decided.
As one resident put it, '{quote}'.
{partner} had noticed the same thing in its own work.
The previous approach had been designed with little input from the people it was meant for.
Earlier consultations had produced reports but little change, and trust was low.
Budgets were under pressure, and {lead} knew that doing more of the same was not an option.
{num_people} people signed a petition asking for change.
Those most affected were often the least likely to come to public meetings, so their views were rarely heard.
The issue had been raised at the {area} community planning partnership more than once without a clear response.
Families said they spent a lot of time chasing information instead of getting help.
There was a strong sense in {town} that decisions about {service} were made somewhere else, by people who did not live with the consequences.
{people_cap} were clear that they had skills and time to offer, not just needs.
{quote_intro}, '{quote}'.
People also pointed to {issue2} and {issue3} as problems that made everything else harder.
The group included people with experience of {skill}, {skill2} and {skill3}, and they wanted to put it to use.
A local {job} who had worked in {place} for years said the same concerns came up in almost every conversation.
Several people described how {need2}, and how that left them feeling {feeling_neg}.
Waiting lists, eligibility rules and forms in formal language made {service} feel out of reach for many.
Nobody disputed the problem; what was missing was a way of solving it with the people it affected.
In {start_year}, {community} wrote to {lead} setting out what needed to change.
The {area} needs assessment in {start_year} confirmed what {people} had been saying for some time.
Public meetings {season} drew bigger crowds than anyone expected, and the message was the same each time.
'{quote}', said {first_name}, who {resident_detail}.
{first_name}, who {resident_detail}, put it plainly: '{quote}'.
Residents of {street} in particular described {issue2}.
Professionals had talked for years about {term} and {term2}, but little of it had reached {place}.
Conversations kept coming back to {term}, and to the gap between policy and what people actually experienced.
People wanted something {agent}-{participle} rather than another service planned from an office.
Several people mentioned that {landmark} had stood empty for years and could be put to better use.
{people_cap} pointed out that {agent}-{participle} projects elsewhere had done far more with far less.
{first_name} {surname}, who {resident_detail}, had been raising the issue with councillors for {long_time}.
"""

WE_SAID_OPEN = """
{lead} agreed that {people} should help decide what happened next.
We said we would {aim} together, as equal partners.
{lead} recognised that {need} and committed to working with {people} rather than for them.
The partners agreed that the only way to {aim} was to share decisions with the people who use {service}.
{lead} accepted that {service} was no longer fit for purpose and that it should be rethought with the people who rely on it.
{lead} said it would not design anything without {people} in the room.
We agreed that {people} and {staff} would plan the changes side by side.
It was recognised that {need}, and that the answer would have to come from {place} itself.
"""

WE_SAID_BODY = """
From the start, the scope and limits of the project were shared openly, including a budget of {money}.
{staff_cap} would bring professional knowledge, while {people} would bring lived experience.
Nothing would be decided about {people} without {people} being involved.
Meetings would be held at {venue}, at times that suited {people}, with {support_offer}.
{partner} offered to {partner_help}.
The work would rest on the values of {values_phrase}.
The partners used {toolkit} to plan the work.
A {goal_adj} aim was agreed early: to {aim}.
{lead} set aside {money} and staff time for the work.
We were honest that not everything people asked for would be possible, and explained why when something could not be done.
It was agreed to start small, test ideas quickly and learn as we went.
{funder} was approached to support the work, and agreed to fund it for {duration}.
Everyone involved would have an equal say, whatever their job title.
The group agreed a simple set of ground rules, written in plain English.
{lead} appointed a named {job} to support {community} throughout.
Success would be judged by {people}, not only by the organisations involved.
{people_cap} would be paid for their time and expenses, in recognition of the expertise they bring.
Any {document} produced would be tested with {people} before it went out.
The partners agreed to meet {frequency} and to share minutes in plain English within a week.
Roles were agreed at the outset, so that everyone knew who would do what and by when.
A small budget was set aside for {people} to spend on whatever they judged would make the biggest difference.
Rather than a formal consultation, there would be an ongoing conversation, with {people} setting the agenda.
{partner2} agreed to {partner_help}, so that cost would not be a barrier to taking part.
The partners agreed to use the work to test {term} in practice, with {people} leading.
{first_name}, who {resident_detail}, agreed to co-chair the group alongside a {job} from {lead}.
We said the work would build on what was already strong in {place}, not just on what was missing.
The aim was a {agent}-{participle} approach, with {staff} in a supporting role.
We offered {landmark} as a base, free of charge, for as long as the group needed it.
"""

WE_DID_OPEN = """
{lead} set up a steering group with {people}, {staff} and {partner}.
The work began with {method} in {place}.
Over {duration}, {people} and {staff} met {frequency} at {venue}.
Together, {people} and {staff} {activity}.
A {size_word} working group of {num_small} {people} and {num_small2} staff from {lead} was formed.
{lead} and {community} started by mapping what was already happening in {place}.
The first step was {method} in {meeting_place}, where {people} used {tool} to set out what mattered most.
"""

WE_DID_BODY = """
{people_cap} {activity}.
Together they {activity}.
{community} {activity}, with support from {partner}.
{partner} {partner_did}.
{funder} contributed {money}, topped up by {small_funds}.
{method_cap} reached {num_people} people across {area}.
Volunteers gave more than {hours} hours of their time.
{staff_cap} and {people} trained together in {training_topic}.
Ideas were tested with {num_people} people before anything was changed.
Progress was shared through {comm_channel} and {comm_channel2}.
When {barrier} got in the way, the group {fix}.
Decisions were made by consensus, and minutes were written in plain English.
{people_cap} {activity}, and {staff} {staff_activity}.
{time_marker}, {people} {activity}.
{time_marker}, the partners {activity}.
{partner2} {partner_did}.
In all, {num_events} sessions were held between {start_year} and {end_phrase}.
The first changes were in place by {mid_year}, and today {result}.
The group visited {num_small} other projects to learn from them.
{people_cap} were paid for their time as experts by experience.
Some of the {people} involved went on to become volunteers, and two now sit on {lead}'s advisory group.
A steering group of {num_even} members, half of them local residents, oversaw the work.
Staff from {partner} joined the sessions to hear directly from {people}.
At every stage, {people} decided what went into the plan and what was left out.
The final design was signed off by {community}.
{time_marker}, {staff} {staff_activity}.
The new arrangements include {feature}, {feature2} and {feature3}, all suggested by {people}.
Sessions covered {topic}, {topic2} and {topic3}, chosen by the people who came along.
Activities ranged from {pastime} and {pastime2} to {pastime3}.
Local businesses donated {donation} and {donation2}.
Volunteers included {volunteer_type}, {volunteer_type2} and {volunteer_type3}.
The {document} was rewritten with {people} and translated into {language} and {language2}.
Every session started with {food}, which made it easier for people to come along and talk.
{people_cap} used {tool} to agree priorities, and the top {num_small} went straight into the plan.
A {job} from {lead} and a {job2} from {partner} supported the group between meetings.
Meetings moved to {weekday} evenings at {meeting_place} after people said daytime sessions were impossible to get to.
Results were tracked using {evidence} and {evidence2}.
{season_cap}, the group {activity}.
One of the {people} involved described the process as '{praise}'.
Where people could not come to meetings, a {job} visited them at home so their views were still included.
The budget of {money} was managed jointly, and every item of spending was agreed by the group.
A launch event at {venue} attracted {num_people} people.
{first_name}, who {resident_detail}, led a sub-group on {term}.
The group also looked at {term} and {term2}, drawing on what had worked elsewhere.
Sessions were {atmos_adj} and {atmos_adj2}, and numbers grew steadily {season}.
{people_cap} on {street} ran a door-knocking exercise to make sure quieter voices were heard.
'{quote}', {first_name} told the steering group, and the plan was changed as a result.
A pop-up stall on {street} gathered views from people who would never come to a meeting.
The budget paid for {item}, {item2} and {item3}, all chosen by the group.
The group met at {landmark}, which soon became the base for the whole project.
What began as a {agent}-{participle} pilot became a {agent2}-{participle2} service.
Small grants paid for {item} and {item2}, and {donation} came from local businesses.
Mrs {surname}, who {resident_detail}, opened her home for the first planning meetings.
{people_cap} and {staff} wrote a {agent}-{participle} plan for the next {duration}.
{first_name} {surname} and {first_name2} {surname2} took turns to chair the meetings.
The group's treasurer, {first_name} {surname}, kept the accounts in a shared spreadsheet that anyone could see.
"""

WE_DID_CLOSE = """
The group continues to meet, and {result}.
{lead} has since adopted the approach across {area}.
The work is now part of {lead}'s plan for {service}.
{community} now leads the work, with {lead} in a supporting role.
{result_cap}, and the partners are planning a second phase.
Other areas have asked to borrow the approach, and {people} from {town} are helping them get started.
"""

WHAT_WORKED = """
Sharing the scope and limits of the project early helped everyone make informed decisions.
{quality_cap} conversations between {people} and {staff} built trust.
Meeting people where they are meant that we reached {num_people} people directly.
Having {people} involved from the very start meant that {result}.
Paying expenses and holding meetings at {venue} made it easier for people to take part.
The support of {partner} was vital throughout.
A clear shared vision, agreed at the start, kept everyone focused.
Specialists handled the technical work while {people} set the requirements and gave the final sign-off.
Everyone shared responsibility for the result.
{people_cap} said they felt {feeling} and {feeling2}.
Small, visible changes early on showed that the partnership was real.
Working this way built lasting relationships between {staff} and {people}.
Listening properly led to practical, cost-effective improvements.
The lesson we would pass on is simple: {lesson}.
Staff said the work changed how they think about {service}.
Using {toolkit} gave the group a shared language.
Having a named contact at {lead} meant questions were answered quickly.
Because {people} chose the priorities, they championed the changes to their neighbours.
Trust grew as partners became more flexible and open to change.
Food, childcare and transport mattered as much as the agenda: without them, many people could not have taken part.
Skills in {skill} and {skill2} that people brought to the group saved time and money.
Evidence from {evidence} convinced managers to keep the new approach.
The {size_word} group of volunteers kept the momentum going when staff changed.
{partner} and {lead} found they could do more together than either could alone.
Informal time, over {food}, was where many of the best ideas came from.
'{praise_cap}' was how {first_name}, who {resident_detail}, described it.
Focusing on {term} gave partners a common purpose.
The {atmos_adj} atmosphere at sessions meant people kept coming back.
Being {agent}-{participle} gave the work a credibility that no agency could have bought.
Having a base at {landmark} gave the group a visible presence in {town}.
As {first_name} {surname} put it at the final meeting, '{quote}'.
"""

COULD_IMPROVE = """
More time was needed to {improve_action}.
The group needs more members to be robust for the future.
Funding is only secure until {end_phrase}, so the partners are looking for a longer-term solution.
Some people found {barrier} off-putting, and we would address it earlier next time.
If the approach were repeated, more thought would be needed on keeping people involved over time.
We would {improve_action} next time.
Staff turnover at {partner} slowed progress at a key stage.
Feedback to everyone who took part could have been quicker.
The project relied heavily on a few committed volunteers.
We did not collect enough evidence at the start to show the difference the work made.
{barrier_cap} made it harder to keep momentum.
It took longer than expected to agree roles between {lead} and {partner}.
Some groups, including people who speak {language}, were under-represented, and we need to reach them better.
Not every partner could commit the same amount of time, which sometimes left {community} carrying too much.
The {obstacle_adj} problem of {barrier} was not solved and still needs attention.
Sustainable funding remains the biggest challenge, and all the partners are working towards it.
Progress on {term} was slower than hoped and needs more attention.
{first_name}, who {resident_detail}, told us we should have {improve_past} from the start.
The move from a {agent}-{participle} pilot to a mainstream service raised questions that are still being worked through.
"""

TITLE_TEMPLATES = """
{place} {title}
{title} in {town}
{title}: {place}
{title}
{town} {title}
Co-producing {service_bare} in {town}
{title} with {people}
{place}: {title}
{title} for {area}
Rethinking {service_bare} with {people}
{title} ({town})
{town}'s {title}
"""

# Outcome descriptions by category: (unit, template with a figure) and templates without one.
OUTCOMES = {
    "improved-wellbeing": {
        "percent": [
            "{v}% of people who took part reported better wellbeing after {duration}.",
            "Wellbeing scores among participants rose by {v}% on a standard scale.",
        ],
        "people": [
            "{v} people said their mental and physical wellbeing had improved.",
            "{v} people took part in regular activity and reported feeling healthier.",
        ],
        None: [
            "People who took part say they feel more confident and better able to manage day to day.",
            "{people} report feeling healthier and more in control of their lives.",
            "Participants described feeling less anxious and more hopeful about the future.",
        ],
    },
    "independent-living": {
        "homes": [
            "{v} homes were designed around the needs of the people who now live in them.",
            "{v} long-term homes with access to support let people live independently.",
            "{v} homes were adapted so that tenants could stay in them safely.",
        ],
        "people": [
            "{v} people now live more independently in homes of their choosing.",
            "{v} people moved out of residential care into their own tenancies.",
        ],
        None: [
            "People have support they can arrange on their own terms and lead more active lives.",
            "Improvements shaped by {people} help them go on living independently.",
        ],
    },
    "reduced-isolation": {
        "people": [
            "{v} people who had felt isolated now meet regularly at {venue}.",
            "{v} people joined new social groups set up through the project.",
            "Befriending links were made for {v} people living alone.",
        ],
        "events": [
            "{v} social events were organised by residents themselves.",
        ],
        None: [
            "Residents now organise their own events, bringing neighbours together.",
            "A volunteering role gives people a place in the community and answers the isolation they described.",
        ],
    },
    "community-ownership": {
        "GBP": [
            "The community raised {money} and now runs {asset} itself.",
            "A community share offer raised {money} to take {asset} into local ownership.",
        ],
        "people": [
            "{v} local people became members of the community organisation that now runs {asset}.",
        ],
        None: [
            "{community} now manages {asset} and shows strong pride in it.",
            "The community group governs the service it helped to create.",
        ],
    },
    "service-redesign": {
        "percent": [
            "Waiting times for {service} fell by {v}% after the redesign.",
            "{v}% of people using {service} rated the redesigned service as good or excellent.",
        ],
        "people": [
            "{v} people helped redesign {service}.",
        ],
        None: [
            "{service_cap} was redesigned around the people who use it.",
            "A jointly agreed plan now guides how {service} is planned and delivered.",
        ],
    },
    "cost-saving": {
        "GBP": [
            "The redesigned service saves around {money} a year.",
            "Volunteer time and shared venues saved an estimated {money}.",
            "The project levered in {money} of external funding.",
            "Fewer crisis interventions saved an estimated {money} over two years.",
        ],
        None: [
            "Sharing venues and staff time reduced costs for every partner.",
        ],
    },
    "capacity-building": {
        "people": [
            "{v} volunteers were trained and now help run the service.",
            "{v} people gained skills and confidence to take part in decisions.",
            "{v} residents completed training in {training_topic}.",
        ],
        "organisations": [
            "{v} local groups were supported to grow and take on new roles.",
        ],
        None: [
            "Community volunteers were trained and helped carry out the work in their own community.",
            "A programme of training is widening membership of the board and making it more robust.",
        ],
    },
    "better-information": {
        "people": [
            "{v} people have used the new information service.",
            "The easy-read guide has reached {v} people.",
        ],
        "events": [
            "{v} information sessions were held in community venues.",
        ],
        None: [
            "Information is now clearer, jargon-free and available in accessible formats.",
            "What people said was passed to the services that could act on it.",
        ],
    },
    "voice-and-influence": {
        "people": [
            "More than {v} people had their views heard directly.",
            "{v} people took part in setting the priorities.",
            "{v} people voted on how the budget was spent.",
        ],
        "events": [
            "{v} community meetings gave residents a direct say in decisions.",
        ],
        None: [
            "{people} now have a seat at the table where decisions are made.",
            "{community} chooses its own campaigns and puts its views to decision-makers.",
        ],
    },
    "safer-communities": {
        "percent": [
            "Reports of antisocial behaviour fell by {v}%.",
            "Incidents reported to the police in {place} fell by {v}%.",
            "{v}% of residents say they now feel safe after dark.",
        ],
        None: [
            "Residents say they feel safer and know their local officers.",
        ],
    },
    "improved-facilities": {
        "GBP": [
            "{money} of investment paid for improvements chosen by {people}.",
            "A {money} application, topped up by smaller funds, paid for new facilities designed with the community.",
        ],
        "other": [
            "{v} square metres of derelict land were brought back into use.",
        ],
        None: [
            "{asset_cap} was improved to a design chosen by {people}.",
            "Communal areas were co-designed and upgraded to modern standards.",
        ],
    },
    "employment-and-skills": {
        "people": [
            "{v} people gained qualifications, volunteering roles or paid work.",
            "{v} people moved into employment or training.",
        ],
        None: [
            "Participants gained skills and experience that helped them into work or volunteering.",
        ],
    },
    "reduced-demand": {
        "percent": [
            "Crisis referrals among participants fell by {v}%.",
            "Repeat referrals to {service} fell by {v}%.",
        ],
        "people": [
            "{v} fewer people needed crisis support over the year.",
        ],
        None: [
            "Earlier help reduced the need for crisis support.",
        ],
    },
}


def _parse_pools(text):
    pools = {}
    for line in text.strip().splitlines():
        line = line.strip()
        if not line:
            continue
        key, _, items = line.partition(":")
        pools[key.strip()] = [i.strip() for i in items.split("|") if i.strip()]
    return pools


def sector_pools():
    return {sector: _parse_pools(text) for sector, text in SECTOR_TEXT.items()}


def general_pools():
    return _parse_pools(GENERAL_TEXT)


def lines(text):
    return [line.strip() for line in text.strip().splitlines() if line.strip()]
