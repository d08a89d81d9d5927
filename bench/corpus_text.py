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
title: Learning Community Partnerships | Learner Voice | Digital Champions | Community Learning Plan | ESOL in the Community | Family Learning Together | Conversation Café | Get Online
""",
    "parks-and-environment": """
people: local residents | families | volunteers | the friends group | allotment holders | children and parents | park users | pupils and residents | walkers and cyclists
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
title: Freedom Park | Play Area Renewal | Community Orchard | Friends of the Park | Riverside Path | Growing Space | Green Gym | Litter-free Streets | Woodland Regeneration | Bike Skills Park
""",
    "community-safety": """
people: residents | shopkeepers | young people | older residents | victims of crime | families on the estate | members of the residents association
person: an older woman afraid to go out after dark | a shopkeeper targeted by repeated theft
service: the community safety partnership | neighbourhood policing | the antisocial behaviour unit | the CCTV service | the street lighting programme | the home fire safety service
staff: community police officers | community wardens | the safer communities team | fire safety officers | antisocial behaviour officers
venue: the shopping parade | the underpass | the park | the bus station | the closes and stairwells | the community police office
issue: antisocial behaviour | feeling unsafe after dark | deliberate fires | drug dealing in the stairwells | speeding traffic | repeat burglaries | scams targeting older people | hate crime
need: they felt unsafe walking home after dark | antisocial behaviour was going unreported | nobody acted on their complaints | the underpass had become a no-go area | deliberate fires were starting every weekend | they did not know their local officers
aim: make the streets feel safe again | tackle antisocial behaviour together | build trust between residents and the police | keep older people safe from scams | cut deliberate fire-setting
activity: walked the area with police officers at night | mapped hot spots of antisocial behaviour | chose the priorities for neighbourhood policing | set up a community safety forum | took part in {num_people} home fire safety visits | designed the new lighting in the underpass | ran scam awareness sessions | trained as community safety champions
result: reports of antisocial behaviour fell | deliberate fires dropped | residents say they feel safer | the underpass is used again | residents set the policing priorities every quarter
thing: a community safety forum | new lighting | a residents' priorities panel | a scams awareness toolkit
title: Safer Streets | Community Safety Forum | Residents Set the Priorities | Night Walks | Scams Awareness | Fire Safety Together | Underpass Transformation
""",
    "alcohol-and-drugs": """
people: people in recovery | families affected by drug and alcohol use | residents | people who use services | young people at risk | community health volunteers
person: a man three years into recovery | a mother whose son was using heroin
service: the alcohol and drug partnership | the recovery service | the needle exchange | the treatment service | the naloxone programme | the family support service
staff: recovery workers | the ADP support team | addiction nurses | peer workers | outreach workers
venue: the recovery café | the community hub | the treatment centre | the church hall
issue: alcohol-related hospital admissions above the regional average | adults buying drink for children | drug-related deaths | long waits for treatment | stigma around addiction
need: services were built around appointments people could not keep | families had nowhere to turn | the community wanted a say in how harm was tackled | stigma stopped people asking for help | young people could get alcohol too easily
aim: strengthen the community's own response to alcohol harm | build a recovery community | make treatment easier to reach | give families a voice
activity: trained community health volunteers | heard the views of {num_people} residents | set up a recovery café | ran a feedback event | co-wrote the local alcohol action plan | handed out naloxone kits | mentored people through treatment | campaigned on proxy purchasing
result: the recovery café opens five days a week | residents' concerns fed into licensing decisions | more people entered treatment | peer mentors now work alongside staff
thing: a recovery café | a community alcohol action plan | a peer mentoring scheme | naloxone kits
title: Listening to the Community | Recovery Café | Peer Mentoring | Family Support Network | Community Alcohol Plan | Recovery Walk
""",
    "disability": """
people: disabled people | people with learning disabilities | people with sensory impairments | wheelchair users | autistic adults | people with a personal interest in disability information | families of disabled children
person: a wheelchair user | a young man with a learning disability | a Deaf woman who uses BSL
service: the disability information service | the learning disability service | the transport service | the accessible information policy | the day opportunities service | the equipment service
staff: the learning disability team | support providers | access officers | the equipment store team
venue: the resource centre | the town hall | the leisure centre | the library
issue: inaccessible buildings | information that was not in accessible formats | a lack of accessible transport | the closure of the information service | being talked about rather than talked to
need: the information service had closed | buildings in the town centre were hard to get into | leaflets were not available in easy read or BSL | decisions were made about them without them
aim: create an information service for the whole region | make the town centre accessible | give disabled people a say in services | make information accessible to everyone
activity: formed a small working group | talked to people at pop-up shops | audited {num_small} buildings for access | produced easy-read versions of key documents | became health champions | formed a citizens panel | sat on the interview panel | formed the interim board of the new service
result: the new service covers the whole region | disabled people now sit on the board | access improvements were made to town-centre buildings | information is published in easy read as standard
thing: an access audit | easy-read information | an interim board | a citizens panel
title: Accessible Information | Access Audit | Health Champions with a Learning Disability | Local Citizens Panels | Disability Information Service | Easy Read for Everyone
""",
    "older-people": """
people: older people | older residents living alone | people with dementia | carers of older people | members of the lunch club | older people in rural villages
person: a widower in his eighties | a woman with early-stage dementia
service: the lunch club | the befriending service | the falls prevention service | the dementia support service | the community transport scheme | the day care service
staff: community connectors | befrienders | the falls team | dementia advisers
venue: the village hall | the church hall | the community café | the sheltered housing lounge
issue: loneliness | falls at home | a lack of transport to appointments | the closure of the day centre | doorstep scams
need: they felt lonely, especially in winter | there was no transport to the town | they wanted to stay in their own homes | the day centre did not offer what they wanted
aim: reduce loneliness | help older people stay independent at home | make the town dementia-friendly | build connections between generations
activity: set up a lunch club | organised befriending visits | ran tea dances | trained as dementia friends | mapped {num_small} community groups that welcome older people | ran intergenerational sessions with local pupils | planned a community transport route | shared memories in a reminiscence group
result: loneliness scores fell | the lunch club is run by volunteers | more older people stay at home for longer | shops signed up as dementia-friendly
thing: a lunch club | a befriending scheme | a dementia-friendly charter | a community transport route
title: Lunch Club | Befriending Network | Dementia-friendly Town | Tea Dances | Intergenerational Project | Falls Prevention Together | Community Connectors
""",
    "children-and-families": """
people: parents | families | care-experienced children | kinship carers | young parents | children and their families
person: a single mum with three children | a kinship carer raising her grandchildren
service: the family support service | the early years service | the children's services plan | the looked-after children service | the nursery | the parenting programme
staff: health visitors | family support workers | social workers | nursery staff | early years practitioners
venue: the family centre | the nursery | the school | the community hub
issue: child poverty | long waits for family support | a lack of childcare | isolation of new parents | children's voices going unheard
need: parents did not know where to go for help | families felt judged by services | support only arrived in crisis | there was no childcare to let parents work
aim: support families early | put children's voices at the centre | give parents a say in services
activity: ran a parent panel | co-designed the family support service | held a family fun day | produced a parents' guide | reviewed services as young inspectors
result: families are supported earlier | parents shape the service | children's views are heard
thing: a parent panel | a parents' guide | a family hub
title: Family Hub | Parents' Panel | Young Inspectors | Early Years Together | Kinship Carers Voice
""",
    "local-government": """
people: residents | community councils | citizens | local groups | community representatives
person: a community councillor
service: the community plan | the budget process | the locality plan | the community asset transfer process | participatory budgeting
staff: community planning officers | elected members | locality officers | council officers
venue: the town hall | the community centre | the library
issue: low trust in the council | decisions made far from communities | a shrinking budget | low turnout in elections
need: decisions were made without them | the budget consultation felt like a done deal | they wanted to run local assets
aim: give communities a real say in spending | share power with communities | plan locally with residents
activity: ran a participatory budgeting event | voted on {money} of spending | drafted the locality plan | took over a community asset | ran a citizens' jury
result: residents decided how the money was spent | community groups took over assets
thing: a participatory budgeting process | a locality plan | a citizens' jury
title: Participatory Budgeting | Locality Plan | Citizens' Jury | Community Asset Transfer | Community Choices
""",
    "criminal-justice": """
people: people with convictions | people on community payback orders | families of prisoners | victims | young people in the justice system
person: a young man leaving custody
service: the community payback service | the justice social work service | the prison visiting service | the restorative justice service
staff: justice social workers | prison officers | probation officers
venue: the prison visitors' centre | the community payback workshop
issue: reoffending | isolation of prisoners' families | unpaid work that did not benefit communities
need: unpaid work projects did not help the community | families found visiting hard
aim: reduce reoffending | make unpaid work meaningful | support prisoners' families
activity: chose community payback projects | redesigned the visitors' centre | mentored people leaving prison
result: reoffending fell | communities chose unpaid work projects
thing: a mentoring scheme | a visitors' centre
title: Community Payback Choices | Visitors' Centre Redesign | Mentoring for Release
""",
    "education": """
people: pupils | students | parents | teachers and pupils | pupils with additional support needs
person: a pupil with additional support needs
service: the school curriculum | the transition programme | the school meals service | the additional support for learning service
staff: teachers | pupil support staff | guidance teachers | lecturers
venue: the school | the college campus | the playground
issue: bullying | the attainment gap | difficult transitions | exclusions
need: pupils had no say in school decisions | the move to high school was frightening
aim: give pupils a voice | close the attainment gap | make transitions easier
activity: ran a pupil parliament | co-designed the transition programme | redesigned the playground | evaluated teaching with lecturers
result: pupils shape school decisions | exclusions fell
thing: a pupil parliament | a transition programme
title: Pupil Voice | Transition Programme | Playground Redesign | Student Partnership
""",
    "other": """
people: residents | community members | local businesses | volunteers | visitors
person: a local shop owner
service: the community hub | the local bus service | the heritage project | the community broadband scheme | the arts programme
staff: development officers | project staff | volunteers
venue: the old school building | the town hall | the community hub
issue: a derelict building | poor bus services | the loss of local services
need: the building had stood empty for years | the bus service had been cut
aim: bring a derelict building back into community use | keep local services open
activity: raised {money} | turned a derelict building into a hub | ran a community share offer | ran heritage walks
result: the community owns the hub | the bus route was saved
thing: a community hub | a community share offer
title: Community Hub | Heritage Trail | Community Share Offer | Village Bus
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
quote: we are the experts in our own lives | nobody ever asked us before | we want to be part of the answer, not the problem | it felt like things were done to us, not with us | we know what works here | just listen to us | we were tired of being consulted and then ignored | give us a chance and we will show you
lesson: start small and build trust | involve people from the very beginning | be honest about what is not possible | pay people's expenses | share power, not just information | celebrate small wins | keep the language plain | make time for relationships
improve_action: involve people who were less confident at first | agree roles at the start | reach people who do not use services at all | plan for funding beyond the pilot | feed back to everyone who took part | recruit more volunteers | share the learning with other areas | measure outcomes from the start | keep people involved once the building work was finished
feeling: valued | listened to | respected | more confident | part of something | proud | trusted | in control
time_marker: Early on | From the start | In the first few months | Later | Alongside this | At the same time | Over the following year | By the end of the first phase | Meanwhile | In parallel | Once the plan was agreed | Towards the end of the project
opener_link: As a result | Because of this | In response | With that in mind | On that basis | Building on this
asset: the community hub | the old school | the village hall | the community garden | the bowling green | the church hall | the former library | the swimming pool
small_funds: Common Good funding | small grants from the area partnership | developer contributions | ward budgets | local fundraising | a crowdfunding campaign | windfarm community benefit funds
"""

# Sentence templates. Each field has openers (one is used first) and body sentences.
SUMMARY_OPEN = """
{people} in {place} worked with {lead} to {aim}.
{lead} and {community} set out to {aim} in {place}.
When {people} in {place} raised concerns about {issue}, {lead} agreed to work with them as equal partners.
This case study describes how {people} and {staff} in {place} {co_verb} {service} together.
In {place}, {lead} brought together {people}, {partner} and {community} to {aim}.
{community} asked for change to {service}, and {lead} responded by sharing the work with them.
Faced with {issue}, {lead} and local people in {place} decided to {aim} together.
{people} told {lead} that {need}, so the two set out to {aim}.
{lead} worked alongside {people} and {partner} in {place} to {aim}.
{person} and {staff} from {lead} worked out together how to {aim}.
"""

SUMMARY_BODY = """
Together they {activity}, and {result}.
{staff} handled the technical side while {people} {activity}.
The partners {activity} and {activity2}.
Over {duration}, {people} {activity}, supported by {partner}.
The work was funded by {funder}, and {result}.
{people} {activity}, and {staff} {staff_activity}.
With help from {partner}, they {activity}.
{result}, and {result2}.
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
{person} contacted {lead} because {need}.
{staff} at {lead} could see that {need}, and {people} said the same.
"""

YOU_ASKED_BODY = """
Many said that {need}.
Others told us that {need2}.
{staff} recognised the problem too: {need}.
Local figures showed that {issue} in {place} was getting worse.
Some had stopped using {service} altogether.
There was also frustration about {issue2}.
{people} wanted to help find the answer, not just be asked for their views once it had been decided.
As one resident put it, '{quote}'.
{partner} had noticed the same thing in its own work.
The previous approach had been designed with little input from the people it was meant for.
Earlier consultations had produced reports but little change, and trust was low.
Budgets were under pressure, and {lead} knew that doing more of the same was not an option.
{num_people} people signed a petition asking for change.
Those most affected were often the least likely to come to public meetings.
The issue had been raised at the {area} community planning partnership more than once without a clear response.
Families said they spent a lot of time chasing information instead of getting help.
There was a strong sense in {town} that decisions about {service} were made somewhere else.
{people} were clear that they had skills and time to offer, not just needs.
{quote_intro}, '{quote}'.
In {start_year}, {community} wrote to {lead} setting out what needed to change.
The {area} needs assessment in {start_year} confirmed what {people} had been saying.
"""

WE_SAID_OPEN = """
{lead} agreed that {people} should help decide what happened next.
We said we would {aim} together, as equal partners.
{lead} recognised that {need} and committed to working with {people} rather than for them.
The partners agreed that the only way to {aim} was to share decisions with the people who use {service}.
{lead} accepted that {service} was no longer fit for purpose.
{lead} said it would not design anything without {people} in the room.
We agreed that {people} and {staff} would plan the changes side by side.
"""

WE_SAID_BODY = """
From the start, the scope and limits of the project were shared openly, including a budget of {money}.
{staff} would bring professional knowledge, while {people} would bring lived experience.
Nothing would be decided about {people} without {people} being involved.
Meetings would be held at {venue}, at times that suited {people}, with {support_offer}.
{partner} offered to {partner_help}.
The work would rest on the values of {values_phrase}.
The partners used {toolkit} to plan the work.
A shared aim was agreed early: to {aim}.
{lead} set aside {money} and staff time for the work.
We were honest that not everything people asked for would be possible.
It was agreed to start small, test ideas quickly and learn as we went.
{funder} was approached to support the work, and agreed to fund it for {duration}.
Everyone involved would have an equal say, whatever their job title.
The group agreed a simple set of ground rules, written in plain English.
{lead} appointed a named worker to support {community} throughout.
Success would be judged by {people}, not only by the organisations involved.
"""

WE_DID_OPEN = """
{lead} set up a steering group with {people}, {staff} and {partner}.
The work began with {method} in {place}.
Over {duration}, {people} and {staff} met {frequency} at {venue}.
Together, {people} and {staff} {activity}.
A small working group of {num_small} {people} and {num_small2} staff from {lead} was formed.
{lead} and {community} started by mapping what was already happening in {place}.
"""

WE_DID_BODY = """
{people} {activity}.
Together they {activity}.
{community} {activity}, with support from {partner}.
{partner} {partner_did}.
{funder} contributed {money}, topped up by {small_funds}.
{method_cap} reached {num_people} people across {area}.
Volunteers gave more than {hours} hours of their time.
{staff} and {people} trained together in {training_topic}.
Ideas were tested with {num_people} people before anything was changed.
Progress was shared through {comm_channel}.
When {barrier} got in the way, the group {fix}.
Decisions were made by consensus, and minutes were written in plain English.
{people} {activity}, and {staff} {staff_activity}.
{time_marker}, {people} {activity}.
{time_marker}, the partners {activity}.
{partner2} {partner_did}.
In all, {num_events} sessions were held between {start_year} and {end_phrase}.
By {mid_year}, {result}.
The group visited {num_small} other projects to learn from them.
{people} were paid for their time as experts by experience.
Some {people} went on to join the board of {lead}.
A steering group of {num_small} members, half of them local residents, oversaw the work.
{staff} from {partner} joined the sessions to hear directly from {people}.
At every stage, {people} decided what went into the plan and what was left out.
The final design was signed off by {community}.
{time_marker}, {staff} {staff_activity}.
"""

WE_DID_CLOSE = """
The group continues to meet, and {result}.
{lead} has since adopted the approach across {area}.
The work is now part of {lead}'s plan for {service}.
{community} now leads the work, with {lead} in a supporting role.
{result}, and the partners are planning a second phase.
"""

WHAT_WORKED = """
Sharing the scope and limits of the project early helped everyone make informed decisions.
{quality_cap} conversations between {people} and {staff} built trust.
Meeting people where they are meant we reached {num_people} people directly.
Having {people} involved from the very start meant that {result}.
Paying expenses and holding meetings at {venue} made it easier for people to take part.
The support of {partner} was vital throughout.
A clear shared vision, agreed at the start, kept everyone focused.
Specialists handled the technical work while {people} set the requirements and gave the final sign-off.
Everyone shared responsibility for the result.
{people} said they felt {feeling} and {feeling2}.
Small, visible changes early on showed that the partnership was real.
Working this way built lasting relationships between {staff} and {people}.
Listening properly led to practical, cost-effective improvements.
The lesson we would pass on is simple: {lesson}.
Staff said the work changed how they think about {service}.
Using {toolkit} gave the group a shared language.
Having a named contact at {lead} meant questions were answered quickly.
Because {people} chose the priorities, they championed the changes to their neighbours.
Trust grew as partners became more flexible and open to change.
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
            "Deliberate fires in the area fell by {v}%.",
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
            "Emergency admissions among participants fell by {v}%.",
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
