"""Places and the public bodies that serve them, for the synthetic corpus.

Each area block starts with a header line

    @ country | locality label | short name | weight | council | health body | police | colleges | universities

(colleges and universities separated by ";", any field may be empty) and is followed by one
line per town, "Town: Neighbourhood, Neighbourhood" or just "Town". The weight is the area's
relative share of case studies; the corpus leans toward Scotland, where the co-production
toolkit comes from. The short name is how local organisations name themselves
("Borders Voluntary Care Voice"); the locality label ends every locality string.
"""

AREAS_TEXT = """
@ Scotland | Scottish Borders | Borders | 120 | Scottish Borders Council | NHS Borders | Police Scotland | Borders College | Heriot-Watt University
Galashiels: Langlee, Netherdale, Balmoral, Forest Gardens
Hawick: Burnfoot, Silverbuthall, Stirches, Wilton
Kelso: Rutherford Square, Abbotseat
Selkirk: Bannerfield, Philiphaugh
Peebles: Kingsmeadows
Jedburgh: Howdenburn
Eyemouth: Gunsgreen
Duns
Melrose
Innerleithen
Coldstream
Earlston
Tweedbank
Newcastleton
@ Scotland | Glasgow | Glasgow | 70 | Glasgow City Council | NHS Greater Glasgow and Clyde | Police Scotland | Glasgow Clyde College; City of Glasgow College; Glasgow Kelvin College | University of Glasgow; University of Strathclyde; Glasgow Caledonian University
Glasgow: Easterhouse, Drumchapel, Castlemilk, Govan, Possilpark, Springburn, Parkhead, Pollok, Dennistoun, Maryhill, Ruchill, Gorbals, Calton, Barlanark, Toryglen, Royston, Priesthill, Milton, Barmulloch, Govanhill
@ Scotland | Edinburgh | Edinburgh | 55 | City of Edinburgh Council | NHS Lothian | Police Scotland | Edinburgh College | University of Edinburgh; Edinburgh Napier University; Queen Margaret University
Edinburgh: Craigmillar, Wester Hailes, Muirhouse, Pilton, Leith, Gorgie, Niddrie, Granton, Sighthill, Moredun, Gilmerton, Portobello, Broomhouse, Calders, Lochend, Restalrig, Oxgangs
@ Scotland | Fife | Fife | 40 | Fife Council | NHS Fife | Police Scotland | Fife College | University of St Andrews
Kirkcaldy: Templehall, Dysart, Linktown, Gallatown
Dunfermline: Abbeyview, Touch, Woodmill
Glenrothes: Tanshall, Auchmuty, Macedonia
Methil
Leven
Buckhaven
Cowdenbeath
Lochgelly
Cupar
St Andrews
Burntisland
@ Scotland | North Lanarkshire | North Lanarkshire | 28 | North Lanarkshire Council | NHS Lanarkshire | Police Scotland | New College Lanarkshire | University of the West of Scotland
Motherwell: Forgewood, Muirhouse
Wishaw: Gowkthrapple, Pather
Airdrie: Petersburn, Chapelhall
Coatbridge: Townhead, Whifflet
Cumbernauld: Abronhill, Kildrum, Seafar, Carbrain
Bellshill: Orbiston
Shotts
Kilsyth
@ Scotland | South Lanarkshire | South Lanarkshire | 26 | South Lanarkshire Council | NHS Lanarkshire | Police Scotland | South Lanarkshire College | University of the West of Scotland
Hamilton: Whitehill, Hillhouse, Fairhill
East Kilbride: Calderwood, Westwood, The Murray
Rutherglen: Fernhill, Spittal
Cambuslang: Halfway
Blantyre
Larkhall
Lanark
Carluke
Biggar
@ Scotland | Aberdeen | Aberdeen | 22 | Aberdeen City Council | NHS Grampian | Police Scotland | North East Scotland College | University of Aberdeen; Robert Gordon University
Aberdeen: Torry, Tillydrone, Northfield, Seaton, Middlefield, Mastrick, Woodside, Cummings Park, Kincorth, Sheddocksley
@ Scotland | Aberdeenshire | Aberdeenshire | 18 | Aberdeenshire Council | NHS Grampian | Police Scotland | North East Scotland College |
Peterhead: Buchanhaven
Fraserburgh
Inverurie
Stonehaven
Banff
Huntly
Ellon
Westhill
Turriff
@ Scotland | Highland | Highland | 24 | Highland Council | NHS Highland | Police Scotland | UHI Inverness; UHI North, West and Hebrides | University of the Highlands and Islands
Inverness: Merkinch, Hilton, Dalneigh, Raigmore, Smithton, South Kessock
Fort William: Caol, Lochyside
Wick: Pulteneytown
Thurso
Dingwall
Nairn
Alness
Invergordon
Portree
Aviemore
Golspie
Ullapool
@ Scotland | Dundee | Dundee | 26 | Dundee City Council | NHS Tayside | Police Scotland | Dundee and Angus College | University of Dundee; Abertay University
Dundee: Whitfield, Lochee, Kirkton, Hilltown, Mid Craigie, Linlathen, Ardler, Fintry, Stobswell, Douglas, Charleston, Menzieshill
@ Scotland | Angus | Angus | 10 | Angus Council | NHS Tayside | Police Scotland | Dundee and Angus College |
Arbroath: Warddykes
Forfar
Montrose
Brechin
Carnoustie
Kirriemuir
Monifieth
@ Scotland | Perth and Kinross | Perth and Kinross | 14 | Perth and Kinross Council | NHS Tayside | Police Scotland | UHI Perth |
Perth: Letham, Tulloch, North Muirton, Hillyland
Crieff
Blairgowrie
Pitlochry
Kinross
Aberfeldy
Auchterarder
@ Scotland | Stirling | Stirling | 14 | Stirling Council | NHS Forth Valley | Police Scotland | Forth Valley College | University of Stirling
Stirling: Raploch, Cultenhove, St Ninians, Cornton, Fallin
Callander
Bridge of Allan
Dunblane
Killin
@ Scotland | Falkirk | Falkirk | 14 | Falkirk Council | NHS Forth Valley | Police Scotland | Forth Valley College |
Falkirk: Camelon, Bainsford, Langlees
Grangemouth: Bowhouse
Bo'ness
Denny
Larbert
Stenhousemuir
@ Scotland | West Lothian | West Lothian | 14 | West Lothian Council | NHS Lothian | Police Scotland | West Lothian College |
Livingston: Craigshill, Ladywell, Knightsridge, Dedridge
Bathgate: Boghall
Broxburn
Whitburn
Armadale
Blackburn
@ Scotland | Midlothian | Midlothian | 11 | Midlothian Council | NHS Lothian | Police Scotland | Edinburgh College |
Dalkeith: Woodburn, Easthouses
Penicuik
Bonnyrigg
Loanhead
Gorebridge
Mayfield
@ Scotland | East Lothian | East Lothian | 10 | East Lothian Council | NHS Lothian | Police Scotland | Edinburgh College | Queen Margaret University
Musselburgh: Fisherrow
Haddington
Prestonpans
Tranent
Dunbar
North Berwick
@ Scotland | Dumfries and Galloway | Dumfries and Galloway | 16 | Dumfries and Galloway Council | NHS Dumfries and Galloway | Police Scotland | Dumfries and Galloway College | University of Glasgow
Dumfries: Lochside, Lincluden, Summerhill, Georgetown
Stranraer: Hillhead
Annan
Castle Douglas
Kirkcudbright
Lockerbie
Newton Stewart
Dalbeattie
Sanquhar
@ Scotland | East Ayrshire | East Ayrshire | 11 | East Ayrshire Council | NHS Ayrshire and Arran | Police Scotland | Ayrshire College |
Kilmarnock: Onthank, Shortlees, New Farm Loch, Bellfield
Cumnock
Stewarton
Galston
Dalmellington
@ Scotland | North Ayrshire | North Ayrshire | 12 | North Ayrshire Council | NHS Ayrshire and Arran | Police Scotland | Ayrshire College |
Irvine: Fullarton, Castlepark, Bourtreehill
Kilwinning
Saltcoats
Ardrossan
Largs
Brodick
Dalry
@ Scotland | South Ayrshire | South Ayrshire | 10 | South Ayrshire Council | NHS Ayrshire and Arran | Police Scotland | Ayrshire College | University of the West of Scotland
Ayr: Dalmilling, Wallacetown, Lochside, Whitletts, Kincaidston
Troon
Prestwick
Girvan
Maybole
@ Scotland | Inverclyde | Inverclyde | 10 | Inverclyde Council | NHS Greater Glasgow and Clyde | Police Scotland | West College Scotland |
Greenock: Broomhill, Strone, Gibshill, Larkfield, Branchton
Port Glasgow: Park Farm
Gourock
Kilmacolm
@ Scotland | Renfrewshire | Renfrewshire | 14 | Renfrewshire Council | NHS Greater Glasgow and Clyde | Police Scotland | West College Scotland | University of the West of Scotland
Paisley: Ferguslie Park, Foxbar, Gallowhill, Shortroods, Glenburn
Renfrew
Johnstone: Spateston
Erskine
Linwood
Bishopton
@ Scotland | East Renfrewshire | East Renfrewshire | 7 | East Renfrewshire Council | NHS Greater Glasgow and Clyde | Police Scotland | |
Barrhead: Dunterlie, Auchenback
Newton Mearns
Giffnock
Clarkston
Neilston
@ Scotland | West Dunbartonshire | West Dunbartonshire | 9 | West Dunbartonshire Council | NHS Greater Glasgow and Clyde | Police Scotland | West College Scotland |
Clydebank: Dalmuir, Whitecrook, Drumry
Dumbarton: Bellsmyre, Brucehill, Castlehill
Alexandria: Haldane
@ Scotland | East Dunbartonshire | East Dunbartonshire | 6 | East Dunbartonshire Council | NHS Greater Glasgow and Clyde | Police Scotland | |
Kirkintilloch: Hillhead, Harestanes
Bearsden
Milngavie
Bishopbriggs
Lennoxtown
@ Scotland | Argyll and Bute | Argyll and Bute | 9 | Argyll and Bute Council | NHS Highland | Police Scotland | UHI Argyll |
Oban
Helensburgh
Dunoon
Campbeltown
Rothesay
Lochgilphead
Tobermory
@ Scotland | Moray | Moray | 8 | Moray Council | NHS Grampian | Police Scotland | UHI Moray |
Elgin: New Elgin, Bishopmill
Forres
Buckie
Keith
Lossiemouth
@ Scotland | Clackmannanshire | Clackmannanshire | 7 | Clackmannanshire Council | NHS Forth Valley | Police Scotland | Forth Valley College |
Alloa: Hawkhill
Tillicoultry
Alva
Tullibody
Clackmannan
@ Scotland | Orkney | Orkney | 4 | Orkney Islands Council | NHS Orkney | Police Scotland | UHI Orkney |
Kirkwall
Stromness
@ Scotland | Shetland | Shetland | 4 | Shetland Islands Council | NHS Shetland | Police Scotland | UHI Shetland |
Lerwick
Brae
Scalloway
@ Scotland | Na h-Eileanan Siar | Western Isles | 4 | Comhairle nan Eilean Siar | NHS Western Isles | Police Scotland | UHI North, West and Hebrides |
Stornoway
Balivanich
Tarbert
Castlebay
@ England | Leeds | Leeds | 16 | Leeds City Council | NHS West Yorkshire Integrated Care Board | West Yorkshire Police | Leeds City College | University of Leeds; Leeds Beckett University
Leeds: Chapeltown, Harehills, Seacroft, Armley, Beeston, Holbeck, Gipton, Belle Isle, Hunslet, Middleton
Morley
Otley
Pudsey
@ England | Bradford | Bradford | 10 | Bradford Council | NHS West Yorkshire Integrated Care Board | West Yorkshire Police | Bradford College | University of Bradford
Bradford: Manningham, Holme Wood, Canterbury, Bradford Moor, Allerton
Keighley
Shipley
Ilkley
@ England | Kirklees | Kirklees | 6 | Kirklees Council | NHS West Yorkshire Integrated Care Board | West Yorkshire Police | Kirklees College | University of Huddersfield
Huddersfield: Fartown, Deighton, Brackenhall
Dewsbury: Ravensthorpe
Batley
@ England | Calderdale | Calderdale | 4 | Calderdale Council | NHS West Yorkshire Integrated Care Board | West Yorkshire Police | Calderdale College |
Halifax: Park, Mixenden
Todmorden
Hebden Bridge
Brighouse
@ England | Manchester | Manchester | 14 | Manchester City Council | NHS Greater Manchester Integrated Care | Greater Manchester Police | The Manchester College | University of Manchester; Manchester Metropolitan University
Manchester: Moss Side, Wythenshawe, Harpurhey, Gorton, Longsight, Ancoats, Collyhurst, Hulme, Miles Platting, Cheetham Hill
@ England | Salford | Salford | 7 | Salford City Council | NHS Greater Manchester Integrated Care | Greater Manchester Police | Salford City College | University of Salford
Salford: Ordsall, Little Hulton, Pendleton, Broughton, Charlestown
Eccles
Swinton
@ England | Oldham | Oldham | 5 | Oldham Council | NHS Greater Manchester Integrated Care | Greater Manchester Police | Oldham College |
Oldham: Werneth, Fitton Hill, Limeside
Chadderton
Failsworth
@ England | Wigan | Wigan | 6 | Wigan Council | NHS Greater Manchester Integrated Care | Greater Manchester Police | Wigan and Leigh College |
Wigan: Scholes, Worsley Mesnes
Leigh
Ashton-in-Makerfield
@ England | Liverpool | Liverpool | 12 | Liverpool City Council | NHS Cheshire and Merseyside Integrated Care Board | Merseyside Police | Liverpool City College | University of Liverpool; Liverpool John Moores University
Liverpool: Everton, Anfield, Toxteth, Kirkdale, Speke, Norris Green, Walton, Kensington, Dingle, Croxteth
@ England | Knowsley | Knowsley | 4 | Knowsley Council | NHS Cheshire and Merseyside Integrated Care Board | Merseyside Police | |
Kirkby: Tower Hill, Northwood
Huyton
Prescot
@ England | Wirral | Wirral | 5 | Wirral Council | NHS Cheshire and Merseyside Integrated Care Board | Merseyside Police | Wirral Metropolitan College |
Birkenhead: Tranmere, Bidston, Beechwood
Wallasey
Bebington
@ England | Birmingham | Birmingham | 14 | Birmingham City Council | NHS Birmingham and Solihull Integrated Care Board | West Midlands Police | Birmingham Metropolitan College | University of Birmingham; Birmingham City University; Aston University
Birmingham: Ladywood, Sparkbrook, Balsall Heath, Handsworth, Kingstanding, Small Heath, Castle Vale, Lozells, Aston, Druids Heath, Shard End
@ England | Coventry | Coventry | 6 | Coventry City Council | NHS Coventry and Warwickshire Integrated Care Board | West Midlands Police | Coventry College | Coventry University
Coventry: Hillfields, Foleshill, Wood End, Canley, Tile Hill, Willenhall
@ England | Wolverhampton | Wolverhampton | 4 | City of Wolverhampton Council | NHS Black Country Integrated Care Board | West Midlands Police | City of Wolverhampton College | University of Wolverhampton
Wolverhampton: Whitmore Reans, Low Hill, Heath Town, Bilston
@ England | Sheffield | Sheffield | 10 | Sheffield City Council | NHS South Yorkshire Integrated Care Board | South Yorkshire Police | The Sheffield College | University of Sheffield; Sheffield Hallam University
Sheffield: Darnall, Burngreave, Parson Cross, Manor, Page Hall, Gleadless Valley, Firth Park, Southey Green, Foxhill
@ England | Barnsley | Barnsley | 4 | Barnsley Council | NHS South Yorkshire Integrated Care Board | South Yorkshire Police | Barnsley College |
Barnsley: Athersley, Kendray
Goldthorpe
Penistone
@ England | Doncaster | Doncaster | 4 | City of Doncaster Council | NHS South Yorkshire Integrated Care Board | South Yorkshire Police | Doncaster College |
Doncaster: Balby, Hexthorpe, Intake
Conisbrough
Thorne
@ England | Newcastle upon Tyne | Newcastle | 9 | Newcastle City Council | NHS North East and North Cumbria Integrated Care Board | Northumbria Police | Newcastle College | Newcastle University; Northumbria University
Newcastle upon Tyne: Byker, Walker, Benwell, Elswick, Scotswood, Fenham, Kenton, Cowgate
@ England | Gateshead | Gateshead | 5 | Gateshead Council | NHS North East and North Cumbria Integrated Care Board | Northumbria Police | Gateshead College |
Gateshead: Felling, Deckham, Bensham
Blaydon
Whickham
@ England | Sunderland | Sunderland | 6 | Sunderland City Council | NHS North East and North Cumbria Integrated Care Board | Northumbria Police | Sunderland College | University of Sunderland
Sunderland: Hendon, Pennywell, Southwick, Hylton Castle
Washington
Houghton-le-Spring
@ England | County Durham | Durham | 7 | Durham County Council | NHS North East and North Cumbria Integrated Care Board | Durham Constabulary | East Durham College; New College Durham | Durham University
Durham
Consett
Stanley
Peterlee
Bishop Auckland
Chester-le-Street
Seaham
Newton Aycliffe
@ England | Northumberland | Northumberland | 6 | Northumberland County Council | NHS North East and North Cumbria Integrated Care Board | Northumbria Police | Northumberland College |
Ashington: Hirst
Blyth: Cowpen
Cramlington
Hexham
Morpeth
Berwick-upon-Tweed
Alnwick
@ England | Cumberland | Cumbria | 5 | Cumberland Council | NHS North East and North Cumbria Integrated Care Board | Cumbria Constabulary | Carlisle College | University of Cumbria
Carlisle: Botcherby, Raffles, Harraby
Workington
Whitehaven
Maryport
Cockermouth
@ England | Lancashire | Lancashire | 8 | Lancashire County Council | NHS Lancashire and South Cumbria Integrated Care Board | Lancashire Constabulary | Preston College; Burnley College | University of Central Lancashire; Lancaster University
Preston: Deepdale, Ribbleton, Callon
Burnley
Lancaster
Morecambe
Accrington
Chorley
Skelmersdale
@ England | Blackpool | Blackpool | 4 | Blackpool Council | NHS Lancashire and South Cumbria Integrated Care Board | Lancashire Constabulary | Blackpool and The Fylde College |
Blackpool: Grange Park, Claremont, Mereside, Talbot
@ England | Bristol | Bristol | 9 | Bristol City Council | NHS Bristol, North Somerset and South Gloucestershire Integrated Care Board | Avon and Somerset Police | City of Bristol College | University of Bristol; University of the West of England
Bristol: Lawrence Weston, Hartcliffe, Knowle West, St Pauls, Easton, Southmead, Lockleaze, Barton Hill, Withywood
@ England | Cornwall | Cornwall | 7 | Cornwall Council | NHS Cornwall and Isles of Scilly Integrated Care Board | Devon and Cornwall Police | Truro and Penwith College | Falmouth University
Truro
Camborne
Redruth
Penzance
St Austell
Falmouth
Bodmin
Newquay
Liskeard
@ England | Devon | Devon | 6 | Devon County Council | NHS Devon Integrated Care Board | Devon and Cornwall Police | Petroc; Exeter College | University of Exeter
Barnstaple
Bideford
Tiverton
Newton Abbot
Exmouth
Okehampton
@ England | Plymouth | Plymouth | 5 | Plymouth City Council | NHS Devon Integrated Care Board | Devon and Cornwall Police | City College Plymouth | University of Plymouth
Plymouth: Devonport, Stonehouse, North Prospect, Whitleigh, Barne Barton, Efford
@ England | Kent | Kent | 8 | Kent County Council | NHS Kent and Medway Integrated Care Board | Kent Police | EKC Group; MidKent College | University of Kent; Canterbury Christ Church University
Margate: Cliftonville
Ramsgate
Dover
Folkestone
Ashford
Maidstone
Canterbury
Gravesend
Sittingbourne
Sheerness
@ England | Essex | Essex | 7 | Essex County Council | NHS Mid and South Essex Integrated Care Board | Essex Police | Harlow College; Colchester Institute | University of Essex; Anglia Ruskin University
Basildon
Harlow
Colchester
Chelmsford
Clacton-on-Sea: Jaywick
Braintree
@ England | Norfolk | Norfolk | 6 | Norfolk County Council | NHS Norfolk and Waveney Integrated Care Board | Norfolk Constabulary | City College Norwich | University of East Anglia
Norwich: Mile Cross, Lakenham, Bowthorpe
Great Yarmouth
King's Lynn
Thetford
Cromer
@ England | Suffolk | Suffolk | 5 | Suffolk County Council | NHS Suffolk and North East Essex Integrated Care Board | Suffolk Constabulary | Suffolk New College | University of Suffolk
Ipswich: Chantry, Whitehouse, Gainsborough
Lowestoft
Bury St Edmunds
Felixstowe
@ England | Nottingham | Nottingham | 7 | Nottingham City Council | NHS Nottingham and Nottinghamshire Integrated Care Board | Nottinghamshire Police | Nottingham College | University of Nottingham; Nottingham Trent University
Nottingham: St Ann's, Meadows, Bulwell, Clifton, Aspley, Sneinton, Hyson Green, Bestwood
@ England | Leicester | Leicester | 6 | Leicester City Council | NHS Leicester, Leicestershire and Rutland Integrated Care Board | Leicestershire Police | Leicester College | University of Leicester; De Montfort University
Leicester: Braunstone, Saffron, Highfields, Belgrave, New Parks, Beaumont Leys
@ England | Derby | Derby | 4 | Derby City Council | NHS Derby and Derbyshire Integrated Care Board | Derbyshire Constabulary | Derby College | University of Derby
Derby: Normanton, Sinfin, Derwent, Osmaston
@ England | Stoke-on-Trent | Stoke | 5 | Stoke-on-Trent City Council | NHS Staffordshire and Stoke-on-Trent Integrated Care Board | Staffordshire Police | Stoke on Trent College | Staffordshire University
Stoke-on-Trent: Hanley, Burslem, Longton, Tunstall, Bentilee, Abbey Hulton
@ England | Hull | Hull | 5 | Hull City Council | NHS Humber and North Yorkshire Integrated Care Board | Humberside Police | Hull College | University of Hull
Hull: Orchard Park, Bransholme, Preston Road, Hessle Road, Gipsyville
@ England | York | York | 4 | City of York Council | NHS Humber and North Yorkshire Integrated Care Board | North Yorkshire Police | York College | University of York; York St John University
York: Tang Hall, Clifton, Chapelfields, Foxwood
@ England | North Yorkshire | North Yorkshire | 5 | North Yorkshire Council | NHS Humber and North Yorkshire Integrated Care Board | North Yorkshire Police | Craven College; Selby College |
Scarborough: Eastfield, Barrowcliff
Harrogate
Whitby
Selby
Skipton
Northallerton
@ England | Middlesbrough | Middlesbrough | 5 | Middlesbrough Council | NHS North East and North Cumbria Integrated Care Board | Cleveland Police | Middlesbrough College | Teesside University
Middlesbrough: North Ormesby, Hemlington, Berwick Hills, Pallister, Grove Hill
@ England | Tower Hamlets, London | Tower Hamlets | 6 | Tower Hamlets Council | NHS North East London Integrated Care Board | Metropolitan Police Service | New City College | Queen Mary University of London
Bethnal Green
Poplar
Stepney
Bow
Whitechapel
Isle of Dogs
@ England | Hackney, London | Hackney | 5 | Hackney Council | NHS North East London Integrated Care Board | Metropolitan Police Service | New City College |
Dalston
Homerton
Clapton
Hoxton
Stoke Newington
@ England | Newham, London | Newham | 5 | Newham Council | NHS North East London Integrated Care Board | Metropolitan Police Service | Newham College | University of East London
Stratford
Canning Town
East Ham
Forest Gate
Custom House
@ England | Lambeth, London | Lambeth | 5 | Lambeth Council | NHS South East London Integrated Care Board | Metropolitan Police Service | Lambeth College | London South Bank University
Brixton
Stockwell
Kennington
Streatham
Tulse Hill
@ England | Southwark, London | Southwark | 4 | Southwark Council | NHS South East London Integrated Care Board | Metropolitan Police Service | Southwark College |
Peckham
Camberwell
Bermondsey
Walworth
Elephant and Castle
@ England | Lewisham, London | Lewisham | 4 | Lewisham Council | NHS South East London Integrated Care Board | Metropolitan Police Service | Lewisham College | Goldsmiths, University of London
Deptford
Catford
New Cross
Bellingham
Downham
@ England | Camden, London | Camden | 4 | Camden Council | NHS North Central London Integrated Care Board | Metropolitan Police Service | | University College London
Kentish Town
Somers Town
Gospel Oak
Kilburn
@ England | Islington, London | Islington | 4 | Islington Council | NHS North Central London Integrated Care Board | Metropolitan Police Service | City and Islington College |
Holloway
Archway
Finsbury Park
Highbury
@ England | Haringey, London | Haringey | 4 | Haringey Council | NHS North Central London Integrated Care Board | Metropolitan Police Service | |
Tottenham
Wood Green
Northumberland Park
@ England | Croydon, London | Croydon | 4 | Croydon Council | NHS South West London Integrated Care Board | Metropolitan Police Service | Croydon College |
Thornton Heath
Norbury
New Addington
South Norwood
@ England | Brent, London | Brent | 4 | Brent Council | NHS North West London Integrated Care Board | Metropolitan Police Service | College of North West London |
Harlesden
Kilburn
Wembley
Stonebridge
@ England | Barking and Dagenham, London | Barking and Dagenham | 4 | Barking and Dagenham Council | NHS North East London Integrated Care Board | Metropolitan Police Service | Barking and Dagenham College |
Barking
Dagenham
Becontree
Thames View
@ England | Brighton and Hove | Brighton | 5 | Brighton and Hove City Council | NHS Sussex Integrated Care Board | Sussex Police | Greater Brighton Metropolitan College | University of Brighton; University of Sussex
Brighton: Whitehawk, Moulsecoomb, Hollingbury, Bevendean
Hove: Knoll
@ England | Southampton | Southampton | 4 | Southampton City Council | NHS Hampshire and Isle of Wight Integrated Care Board | Hampshire and Isle of Wight Constabulary | City College Southampton | University of Southampton; Solent University
Southampton: Thornhill, Weston, Millbrook, Townhill Park
@ England | Portsmouth | Portsmouth | 4 | Portsmouth City Council | NHS Hampshire and Isle of Wight Integrated Care Board | Hampshire and Isle of Wight Constabulary | Highbury College | University of Portsmouth
Portsmouth: Somers Town, Paulsgrove, Buckland, Landport
@ England | Peterborough | Peterborough | 3 | Peterborough City Council | NHS Cambridgeshire and Peterborough Integrated Care Board | Cambridgeshire Constabulary | Peterborough College | Anglia Ruskin University
Peterborough: Westgate, Millfield, Dogsthorpe, Orton
@ England | Lincolnshire | Lincolnshire | 5 | Lincolnshire County Council | NHS Lincolnshire Integrated Care Board | Lincolnshire Police | Lincoln College; Boston College | University of Lincoln
Lincoln: Birchwood, Ermine
Boston
Grantham
Skegness
Gainsborough
@ England | Telford and Wrekin | Telford | 3 | Telford and Wrekin Council | NHS Shropshire, Telford and Wrekin Integrated Care Board | West Mercia Police | Telford College |
Telford: Woodside, Sutton Hill, Brookside
Wellington
Oakengates
@ England | Somerset | Somerset | 4 | Somerset Council | NHS Somerset Integrated Care Board | Avon and Somerset Police | Bridgwater and Taunton College; Yeovil College |
Taunton: Halcon, Priorswood
Bridgwater
Yeovil
Frome
Minehead
@ England | Gloucestershire | Gloucestershire | 4 | Gloucestershire County Council | NHS Gloucestershire Integrated Care Board | Gloucestershire Constabulary | Gloucestershire College | University of Gloucestershire
Gloucester: Matson, Podsmead, Tuffley
Cheltenham: Hesters Way
Stroud
Cinderford
@ Wales | Cardiff | Cardiff | 16 | Cardiff Council | Cardiff and Vale University Health Board | South Wales Police | Cardiff and Vale College | Cardiff University; Cardiff Metropolitan University
Cardiff: Ely, Splott, Butetown, Llanrumney, Grangetown, Adamsdown, Llanedeyrn, Caerau, Trowbridge, Tremorfa
@ Wales | Swansea | Swansea | 10 | Swansea Council | Swansea Bay University Health Board | South Wales Police | Gower College Swansea | Swansea University; University of Wales Trinity Saint David
Swansea: Townhill, Penlan, Blaenymaes, Bonymaen, Mayhill, Port Tennant
Gorseinon
Morriston
@ Wales | Newport | Newport | 7 | Newport City Council | Aneurin Bevan University Health Board | Gwent Police | Coleg Gwent | University of South Wales
Newport: Pillgwenlly, Ringland, Bettws, Alway, Maindee
Caerleon
@ Wales | Rhondda Cynon Taf | Rhondda Cynon Taf | 9 | Rhondda Cynon Taf County Borough Council | Cwm Taf Morgannwg University Health Board | South Wales Police | Coleg y Cymoedd | University of South Wales
Pontypridd: Trallwng
Aberdare
Tonypandy
Porth
Mountain Ash
Treorchy
Ferndale
Llantrisant
@ Wales | Merthyr Tydfil | Merthyr | 4 | Merthyr Tydfil County Borough Council | Cwm Taf Morgannwg University Health Board | South Wales Police | The College Merthyr Tydfil |
Merthyr Tydfil: Gurnos, Penydarren, Twynyrodyn
Dowlais
Treharris
@ Wales | Caerphilly | Caerphilly | 6 | Caerphilly County Borough Council | Aneurin Bevan University Health Board | Gwent Police | Coleg Gwent |
Caerphilly: Lansbury Park
Bargoed
Blackwood
Risca
Ystrad Mynach
@ Wales | Blaenau Gwent | Blaenau Gwent | 4 | Blaenau Gwent County Borough Council | Aneurin Bevan University Health Board | Gwent Police | Coleg Gwent |
Ebbw Vale
Tredegar
Abertillery
Brynmawr
@ Wales | Torfaen | Torfaen | 3 | Torfaen County Borough Council | Aneurin Bevan University Health Board | Gwent Police | Coleg Gwent |
Cwmbran: St Dials, Fairwater
Pontypool
Blaenavon
@ Wales | Bridgend | Bridgend | 4 | Bridgend County Borough Council | Cwm Taf Morgannwg University Health Board | South Wales Police | Bridgend College |
Bridgend: Wildmill
Maesteg
Porthcawl
Pencoed
@ Wales | Neath Port Talbot | Neath Port Talbot | 4 | Neath Port Talbot Council | Swansea Bay University Health Board | South Wales Police | NPTC Group of Colleges |
Neath: Melincryddan
Port Talbot: Sandfields, Aberavon, Taibach
Pontardawe
Glynneath
@ Wales | Carmarthenshire | Carmarthenshire | 5 | Carmarthenshire County Council | Hywel Dda University Health Board | Dyfed-Powys Police | Coleg Sir Gar | University of Wales Trinity Saint David
Llanelli: Tyisha, Bynea
Carmarthen
Ammanford
Llandovery
@ Wales | Pembrokeshire | Pembrokeshire | 3 | Pembrokeshire County Council | Hywel Dda University Health Board | Dyfed-Powys Police | Pembrokeshire College |
Haverfordwest
Pembroke Dock
Milford Haven
Fishguard
@ Wales | Ceredigion | Ceredigion | 3 | Ceredigion County Council | Hywel Dda University Health Board | Dyfed-Powys Police | Coleg Ceredigion | Aberystwyth University
Aberystwyth: Penparcau
Cardigan
Lampeter
@ Wales | Powys | Powys | 4 | Powys County Council | Powys Teaching Health Board | Dyfed-Powys Police | NPTC Group of Colleges |
Newtown
Llandrindod Wells
Brecon
Welshpool
Ystradgynlais
@ Wales | Gwynedd | Gwynedd | 5 | Cyngor Gwynedd | Betsi Cadwaladr University Health Board | North Wales Police | Grwp Llandrillo Menai | Bangor University
Bangor: Maesgeirchen
Caernarfon
Pwllheli
Blaenau Ffestiniog
Dolgellau
@ Wales | Isle of Anglesey | Anglesey | 3 | Isle of Anglesey County Council | Betsi Cadwaladr University Health Board | North Wales Police | Grwp Llandrillo Menai |
Holyhead
Llangefni
Amlwch
@ Wales | Conwy | Conwy | 3 | Conwy County Borough Council | Betsi Cadwaladr University Health Board | North Wales Police | Grwp Llandrillo Menai |
Colwyn Bay
Llandudno
Abergele
@ Wales | Denbighshire | Denbighshire | 4 | Denbighshire County Council | Betsi Cadwaladr University Health Board | North Wales Police | Grwp Llandrillo Menai |
Rhyl: West Rhyl
Denbigh
Prestatyn
Ruthin
@ Wales | Flintshire | Flintshire | 3 | Flintshire County Council | Betsi Cadwaladr University Health Board | North Wales Police | Coleg Cambria |
Flint
Mold
Shotton
Holywell
@ Wales | Wrexham | Wrexham | 4 | Wrexham County Borough Council | Betsi Cadwaladr University Health Board | North Wales Police | Coleg Cambria | Wrexham University
Wrexham: Caia Park, Hightown
Gwersyllt
Rhosllannerchrugog
@ Wales | Vale of Glamorgan | Vale of Glamorgan | 3 | Vale of Glamorgan Council | Cardiff and Vale University Health Board | South Wales Police | Cardiff and Vale College |
Barry: Gibbonsdown, Castleland
Penarth
Llantwit Major
@ Wales | Monmouthshire | Monmouthshire | 2 | Monmouthshire County Council | Aneurin Bevan University Health Board | Gwent Police | Coleg Gwent |
Abergavenny
Monmouth
Chepstow
Caldicot
@ Northern Ireland | Belfast | Belfast | 26 | Belfast City Council | Belfast Health and Social Care Trust | Police Service of Northern Ireland | Belfast Metropolitan College | Queen's University Belfast; Ulster University
Belfast: Shankill, Falls, Ardoyne, New Lodge, Short Strand, Ballymacarrett, Andersonstown, Sandy Row, Lower Ormeau, Colin, Twinbrook, Ballybeen
@ Northern Ireland | Derry and Strabane | Derry | 10 | Derry City and Strabane District Council | Western Health and Social Care Trust | Police Service of Northern Ireland | North West Regional College | Ulster University
Derry: Creggan, Shantallow, Bogside, Waterside, Galliagh, Gobnascale
Strabane
@ Northern Ireland | Armagh, Banbridge and Craigavon | Southern | 7 | Armagh City, Banbridge and Craigavon Borough Council | Southern Health and Social Care Trust | Police Service of Northern Ireland | Southern Regional College |
Armagh
Craigavon: Drumgor
Portadown
Lurgan
Banbridge
@ Northern Ireland | Newry, Mourne and Down | Mourne | 5 | Newry, Mourne and Down District Council | Southern Health and Social Care Trust | Police Service of Northern Ireland | Southern Regional College |
Newry
Downpatrick
Newcastle
Kilkeel
@ Northern Ireland | Ards and North Down | North Down | 5 | Ards and North Down Borough Council | South Eastern Health and Social Care Trust | Police Service of Northern Ireland | South Eastern Regional College |
Bangor: Kilcooley
Newtownards
Holywood
Comber
@ Northern Ireland | Lisburn and Castlereagh | Lisburn | 4 | Lisburn and Castlereagh City Council | South Eastern Health and Social Care Trust | Police Service of Northern Ireland | South Eastern Regional College |
Lisburn: Colin Glen
Dundonald
@ Northern Ireland | Antrim and Newtownabbey | Newtownabbey | 4 | Antrim and Newtownabbey Borough Council | Northern Health and Social Care Trust | Police Service of Northern Ireland | Northern Regional College |
Antrim
Newtownabbey: Rathcoole
Glengormley
@ Northern Ireland | Mid and East Antrim | Mid Antrim | 4 | Mid and East Antrim Borough Council | Northern Health and Social Care Trust | Police Service of Northern Ireland | Northern Regional College |
Ballymena: Ballykeel, Harryville
Larne
Carrickfergus
@ Northern Ireland | Causeway Coast and Glens | Causeway | 4 | Causeway Coast and Glens Borough Council | Northern Health and Social Care Trust | Police Service of Northern Ireland | Northern Regional College | Ulster University
Coleraine
Ballymoney
Limavady
Ballycastle
Portrush
@ Northern Ireland | Mid Ulster | Mid Ulster | 3 | Mid Ulster District Council | Northern Health and Social Care Trust | Police Service of Northern Ireland | South West College |
Dungannon
Cookstown
Magherafelt
@ Northern Ireland | Fermanagh and Omagh | Fermanagh | 3 | Fermanagh and Omagh District Council | Western Health and Social Care Trust | Police Service of Northern Ireland | South West College |
Enniskillen
Omagh
@ other | Isle of Man | Manx | 2 | Douglas Borough Council | Manx Care | Isle of Man Constabulary | University College Isle of Man |
Douglas
Ramsey
Peel
@ other | Jersey | Jersey | 1 | Parish of St Helier | Health and Community Services Jersey | States of Jersey Police | Highlands College |
St Helier
@ other | Guernsey | Guernsey | 1 | Douzaine of St Peter Port | Health and Social Care Guernsey | Guernsey Police | The Guernsey Institute |
St Peter Port
"""

# National bodies: (country or "UK", name, kind, prominence). Prominence ranks them against
# one another when a case study reaches beyond its own area.
NATIONAL_TEXT = """
UK | National Lottery Community Fund | other | 10
UK | Big Lottery Fund | other | 6
UK | National Lottery Heritage Fund | other | 3
UK | Comic Relief | charity | 2
UK | BBC Children in Need | charity | 3
UK | Esmee Fairbairn Foundation | charity | 1
UK | Joseph Rowntree Foundation | charity | 1
UK | Paul Hamlyn Foundation | charity | 1
UK | Lloyds Bank Foundation | charity | 1
UK | Power to Change | other | 1
UK | Nesta | other | 1
UK | Carnegie UK Trust | charity | 1
UK | Social Care Institute for Excellence | other | 1
UK | Co-production Network for Citizens and Services | voluntary | 1
UK | Governance International | other | 2
UK | Mind | charity | 2
UK | Alzheimer's Society | charity | 2
UK | Sense | charity | 1
UK | Shelter | charity | 2
UK | Crisis | charity | 1
UK | Citizens Advice | charity | 2
UK | Age UK | charity | 2
UK | Carers Trust | charity | 2
UK | The Prince's Trust | charity | 1
UK | Sport Relief | charity | 1
UK | Macmillan Cancer Support | charity | 1
UK | The Trussell Trust | charity | 1
UK | Groundwork UK | charity | 1
UK | Locality | voluntary | 1
Scotland | Scottish Government | government | 10
Scotland | Care Inspectorate | government | 5
Scotland | Education Scotland | government | 3
Scotland | Public Health Scotland | government | 3
Scotland | Healthcare Improvement Scotland | government | 3
Scotland | Scottish Fire and Rescue Service | government | 3
Scotland | Skills Development Scotland | government | 2
Scotland | Scottish Housing Regulator | government | 1
Scotland | Scottish Co-production Network | voluntary | 4
Scotland | Scottish Community Development Centre | voluntary | 3
Scotland | Scottish Council for Voluntary Organisations | voluntary | 3
Scotland | Health and Social Care Alliance Scotland | voluntary | 3
Scotland | Scottish Recovery Network | voluntary | 2
Scotland | Inspiring Scotland | charity | 2
Scotland | The Robertson Trust | charity | 3
Scotland | Corra Foundation | charity | 2
Scotland | Age Scotland | charity | 2
Scotland | Alzheimer Scotland | charity | 2
Scotland | Scottish Association for Mental Health | charity | 2
Scotland | Who Cares? Scotland | charity | 2
Scotland | Children in Scotland | charity | 1
Scotland | YouthLink Scotland | voluntary | 2
Scotland | Scottish Youth Parliament | voluntary | 1
Scotland | Development Trusts Association Scotland | voluntary | 1
Scotland | Scottish Federation of Housing Associations | voluntary | 1
Scotland | Tenant Participation Advisory Service Scotland | voluntary | 1
Scotland | Scottish Drugs Forum | voluntary | 1
Scotland | Scottish Recovery Consortium | voluntary | 1
Scotland | Scottish Women's Aid | charity | 1
Scotland | Community Justice Scotland | government | 1
Scotland | Scottish Children's Reporter Administration | government | 1
Scotland | NatureScot | government | 1
Scotland | Historic Environment Scotland | government | 1
Scotland | Creative Scotland | government | 1
Scotland | Sportscotland | government | 1
Scotland | Architecture and Design Scotland | government | 1
England | Department for Levelling Up, Housing and Communities | government | 3
England | Department of Health and Social Care | government | 3
England | Care Quality Commission | government | 2
England | Ofsted | government | 1
England | Sport England | government | 2
England | Arts Council England | government | 1
England | Homes England | government | 1
England | NHS England | nhs | 4
England | Think Local Act Personal | other | 2
England | National Co-production Advisory Group | other | 1
England | Healthwatch England | other | 1
England | National Housing Federation | voluntary | 1
England | NCVO | voluntary | 1
England | Mind in the community | charity | 1
England | Groundwork England | charity | 1
England | Youth Justice Board | government | 1
England | Probation Service | government | 1
Wales | Welsh Government | government | 9
Wales | Care Inspectorate Wales | government | 3
Wales | Social Care Wales | government | 3
Wales | Public Health Wales | nhs | 3
Wales | Natural Resources Wales | government | 1
Wales | Co-production Network for Wales | voluntary | 4
Wales | Wales Council for Voluntary Action | voluntary | 3
Wales | Community Housing Cymru | voluntary | 1
Wales | Age Cymru | charity | 2
Wales | Mind Cymru | charity | 1
Wales | Tai Pawb | voluntary | 1
Wales | Children in Wales | charity | 1
Wales | Sport Wales | government | 1
Wales | Arts Council of Wales | government | 1
Northern Ireland | Department for Communities | government | 5
Northern Ireland | Department of Health Northern Ireland | government | 4
Northern Ireland | Northern Ireland Housing Executive | government | 5
Northern Ireland | Public Health Agency | nhs | 3
Northern Ireland | Regulation and Quality Improvement Authority | government | 2
Northern Ireland | Education Authority | government | 2
Northern Ireland | Probation Board for Northern Ireland | government | 1
Northern Ireland | Patient and Client Council | other | 2
Northern Ireland | Northern Ireland Council for Voluntary Action | voluntary | 3
Northern Ireland | Community Foundation for Northern Ireland | charity | 2
Northern Ireland | Age NI | charity | 1
Northern Ireland | Housing Rights | charity | 1
Northern Ireland | Disability Action | charity | 1
Northern Ireland | Rural Community Network | voluntary | 1
Northern Ireland | Co-operation Ireland | charity | 1
other | Isle of Man Government | government | 3
other | Government of Jersey | government | 2
other | States of Guernsey | government | 1
"""

# Words for naming local organisations.
SURNAMES = """Anderson Armstrong Baird Barclay Bell Black Boyd Brown Buchanan Burns Cairns Cameron
Campbell Chisholm Christie Clark Craig Crawford Cunningham Dalgleish Davidson Dickson Docherty
Douglas Duncan Elliot Ferguson Forbes Fraser Gibson Gilchrist Graham Grant Gray Hamilton Hay
Henderson Hogg Hunter Jardine Johnston Kerr Laidlaw Lamont Leckie Lindsay Lockhart Lyall MacDonald
MacKenzie MacLeod Marshall Martin Maxwell McAllister McCulloch McGregor McIntyre McKay Millar
Mitchell Moffat Morrison Muir Murray Nicol Ogilvie Paterson Pringle Rae Reid Renwick Ritchie
Robertson Rutherford Scott Shaw Sinclair Smith Stewart Sutherland Tait Thomson Turnbull Walker
Wallace Watson Weir Wilson Young Ashworth Barker Bentley Booth Bradshaw Brierley Cartwright Clegg
Dawson Fletcher Greenwood Hargreaves Holroyd Lister Marsden Pickering Sutcliffe Whitaker Atkinson
Collier Dixon Heslop Milburn Robson Charlton Pearson Bevan Davies Edwards Evans Griffiths Howells
Hughes Jenkins Lewis Llewellyn Morgan Owen Powell Price Pritchard Rees Thomas Vaughan Williams
Gallagher Kelly McCann McCormick Mulholland Quinn Doherty Hegarty Brennan Nolan Maguire Devlin
Ahmed Akhtar Begum Bibi Chaudhry Hussain Iqbal Khan Malik Patel Rahman Shah Singh Kaur Ali Mistry
Nowak Kowalski Wisniewski Lewandowski Zielinski Kaminski Popescu Ionescu Okafor Mensah Osei Adeyemi
Chen Wong Li Nguyen Kaya Haddad Mansour Abdi Warsame Hassan Farah Yilmaz Kovacs Petrov Ivanova
Abernethy Affleck Aitken Allan Baxter Beattie Blair Bruce Buchan Calder Carmichael Cochrane Currie
Dow Drummond Dunlop Erskine Ewing Fairbairn Findlay Fleming Galbraith Gillespie Gordon Gunn Haig
Imrie Innes Kennedy Kinnear Learmonth Lennox Logan Lorimer Mathieson Menzies Munro Napier Oliphant
Ramsay Rankin Riddell Sime Spence Strachan Swanson Tennant Urquhart Waugh Yule Ainsley Blackwood
Brodie Dalziel Gilmour Hislop Kerr Lauder Lumsden Mackie Nisbet Purves Scobie Tulloch Veitch""".split()
SURNAMES = list(dict.fromkeys(SURNAMES))

SAINTS = """Andrew Margaret Columba Ninian Mungo Bride Kentigern Cuthbert Patrick Joseph Mary Anne
John Peter Paul Michael Brendan Aidan David Teilo Illtud Mirin Serf Modan Fillan Machar
Vincent Thomas Bernadette Leonard""".split()

EMBLEMS = """Eildon Cairn Heather Rowan Thistle Linden Birch Hazel Bracken Juniper Kestrel Curlew
Osprey Harbour Beacon Lantern Compass Anchor Bridges Pathways Stepping Stones Horizons Threads
Riverside Meadow Orchard Willow Acorn Oak Ash Elder Lomond Tweed Clyde Forth Tay Dee Spey
Wyvern Dragon Cedar Granite Sandstone Harvest Kinship Haven Lighthouse Waypoint Hearth Tapestry
Greenhouse Allium Fern Moss Loch Glen Strath Ben Brae Howe Ness Cove Firth""".split()

CAUSES = """Mental Health | Carers | Dementia | Autism | Recovery | Disability | Older People |
Young People | Families | Refugee | Homelessness | Learning Disability | Deaf | Sight Loss |
Stroke | Bereavement | Domestic Abuse | Addiction | Wellbeing | Parkinson's | Brain Injury |
Food Poverty | Debt Advice | Kinship Care | Veterans | Neurodiversity | Hearing Loss |
Chronic Pain | Eating Disorders | Suicide Prevention | Heart Health | Diabetes""".split("|")
CAUSES = [c.strip() for c in CAUSES]

PARKS = """Victoria Park | Riverside Park | Memorial Park | Jubilee Gardens | the Common |
the Community Woodland | the Burn | the Walled Garden | the Green | the Canal Towpath |
the Allotments | the Millennium Green | the Nature Reserve | the Bandstand | the Old Railway Path""".split("|")
PARKS = [p.strip() for p in PARKS]

WELSH_WORDS = """Gymraeg | y Ddraig | Bro | Glan | Cwm | Tir | Pen | Maes | Bryn | Nant""".split("|")
WELSH_WORDS = [w.strip() for w in WELSH_WORDS]

# Patterns for local organisations by kind. Fields: {short} the area's short name, {town},
# {hood} a neighbourhood (or the town), {surname}, {surname2}, {saint}, {emblem}, {cause},
# {park}. Patterns marked "W:" only suit Wales, "S:" only Scotland, "E:" only England,
# "N:" only Northern Ireland.
LOCAL_PATTERNS = {
    "housing-association": """
{short} Housing Association | {town} Housing Association | {emblem} Housing Association |
{emblem} Homes | {short} Homes | {town} and District Housing Association | {surname} Housing Trust |
{hood} Housing Co-operative | {short} Housing Partnership | {emblem} Housing Group |
{town} Community Housing Trust | {emblem} Housing | {short} Rural Housing Trust |
{hood} Tenants' Housing Co-operative | {emblem} Living | {short} Supported Housing |
W:Tai {emblem} | W:Cymdeithas Tai {town} | N:{town} Housing Association | S:{short} Housing Initiative
""",
    "voluntary": """
{short} Voluntary Action | {short} Council for Voluntary Service | {town} Volunteer Centre |
S:Third Sector {short} | {short} Carers Centre | {short} Voluntary Care Voice | {short} Disability Forum |
{short} Youth Network | {short} Befriending Service | {town} Befriending Project | {short} Women's Aid |
{short} Advocacy Service | {short} Independent Advocacy | {town} Community Transport |
{short} Healthy Living Network | {short} Rural Action | {short} Volunteer Network |
{town} Carers Network | {short} People First | {short} Access Panel | {short} Recovery Network |
{town} Family Support Service | {short} Youth Project | {hood} Youth Project | {short} Senior Citizens Forum |
{short} Mental Health Forum | {short} Association of Community Councils | {town} Good Neighbours Scheme |
{short} Equality Forum | {short} Young Carers Service | {short} Parent Network | {short} Food Network |
{short} {cause} Network | {short} {cause} Forum | {town} {cause} Support Group
""",
    "community-group": """
{hood} Residents Association | {hood} Tenants and Residents Association | {town} Community Council |
Friends of {park}, {town} | {town} Men's Shed | {hood} Community Garden | {town} Parent Council |
{town} Youth Forum | {short} Young Carers Group | {town} Access Panel | {hood} Community Action Group |
{town} Lunch Club | {hood} Good Neighbours | {town} Dementia Friendly Group | {town} Recovery Cafe |
{hood} Litter Pickers | {town} Walking Group | {hood} Parent and Toddler Group | {town} Allotment Society |
{town} Development Trust | {hood} Community Futures | {hood} Community Forum | {town} Gala Committee |
{hood} Tenants' Panel | {town} Older People's Forum | {town} Young Inspectors | {town} Carers Group |
{hood} Community Association | {town} Tenants' Federation | {hood} Neighbourhood Watch | {town} Lived Experience Panel |
{short} Service User Network | {town} Disability Group | {hood} Mums' Group | {town} Community Choir |
{town} Gardening Club | {hood} Kids' Club Committee | {town} Community Pantry Group | {hood} Environment Group |
{town} Youth Voice | {hood} Play Group | {town} Heritage Group | {hood} Community Flat Group |
{town} Citizens Panel | {town} Recovery Community | {hood} Street Champions | {town} Friendship Group |
{town} Stroke Club | {town} Memory Cafe | {town} LGBT Youth Group | {hood} Women's Group |
{town} {cause} Peer Group | {hood} {cause} Self-help Group
""",
    "school": """
{town} High School | {town} Primary School | {hood} Primary School | S:{town} Academy | St {saint}'s Primary School |
St {saint}'s High School | {town} Community School | {hood} Nursery School | E:{town} Academy |
{hood} Early Learning Centre | {town} Grammar School | N:{town} Integrated College | N:{town} Integrated Primary School |
W:Ysgol {welsh} {town} | W:Ysgol Gynradd {town} | W:Ysgol Uwchradd {town} | {hood} Infant School |
{town} Learning Campus | St {saint}'s RC Primary School | {town} Additional Support Needs School
""",
    "college": """
{town} College | {short} College of Further Education | {town} Sixth Form College
""",
    "charity": """
{short} {cause} Trust | {town} Citizens Advice | {town} Foodbank | {short} Community Foundation |
{surname} Charitable Trust | The {surname} Foundation | {short} Association for Mental Health |
{emblem} Trust | {short} {cause} Project | {emblem} {cause} Service | {short} Children's Charity |
{town} Hospice | {short} Hospice at Home | {emblem} Recovery | {short} Carers Trust | {emblem} Futures |
{town} Family Centre | {short} Home-Start | {emblem} Foundation | {short} {cause} Centre |
{town} Community Trust | {short} Counselling Service
""",
    "social-enterprise": """
{town} Community Bike Hub | {short} Furniture Reuse | {town} Community Cafe | {hood} Enterprise Hub |
{emblem} Enterprises | {town} Repair Cafe | {emblem} Works | {short} Green Team | {town} Community Energy |
{hood} Community Laundry | {emblem} Catering | {short} Employability Hub | {town} Social Supermarket |
{emblem} Woodworks | {short} Community Growers | {town} Community Kitchen | {emblem} Print Studio |
{town} Community Shop | {short} Mobility Services | {emblem} Care Co-operative
""",
    "business": """
{surname} Architects | {surname} and {surname2} Builders | {town} Pharmacy | {surname} Construction |
{surname} Landscapes | {surname} and Partners | {emblem} Design Studio | {town} Bus Company |
{surname} Joinery | {emblem} Consulting | {surname} Property Services | {town} Garden Centre
""",
    "other": """
{short} Community Planning Partnership | S:{short} Alcohol and Drugs Partnership | W:{short} Area Planning Board |
S:{short} Integration Joint Board | {short} Leisure Trust | {town} Credit Union | {short} Learning Partnership |
{short} Sports Council | {short} Locality Partnership | {town} Neighbourhood Partnership | {short} Community Safety Partnership |
{short} Child Protection Committee | {short} Adult Protection Committee | {short} Health Improvement Team |
{short} Youth Justice Service | {town} Area Partnership | {short} Joint Strategy Group | {short} Arts Trust |
{short} Rural Partnership | {short} Community Justice Partnership | E:{short} Healthwatch | {short} Health Forum |
{town} Town Team | {short} Employability Partnership | N:{short} Policing and Community Safety Partnership |
E:{short} Local Enterprise Partnership
""",
}

# How local organisations are spread over kinds once the public bodies are named.
LOCAL_KIND_WEIGHTS = {
    "community-group": 32,
    "voluntary": 14,
    "charity": 12,
    "school": 12,
    "housing-association": 8,
    "social-enterprise": 8,
    "other": 8,
    "business": 4,
    "college": 1,
}


def _split_patterns(text):
    return [p.strip() for p in text.replace("\n", " ").split("|") if p.strip()]


def load_areas():
    """The areas as dictionaries, in the order written."""
    areas = []
    area = None
    for raw in AREAS_TEXT.strip().splitlines():
        line = raw.strip()
        if not line:
            continue
        if line.startswith("@"):
            fields = [f.strip() for f in line[1:].split("|")]
            fields += [""] * (9 - len(fields))
            country, label, short, weight, council, health, police, colleges, universities = fields[:9]
            area = {
                "country": country,
                "label": label,
                "short": short,
                "weight": float(weight),
                "council": council,
                "health": health,
                "police": police,
                "colleges": [c.strip() for c in colleges.split(";") if c.strip()],
                "universities": [u.strip() for u in universities.split(";") if u.strip()],
                "towns": [],
            }
            areas.append(area)
        else:
            town, _, hoods = line.partition(":")
            area["towns"].append(
                (town.strip(), [h.strip() for h in hoods.split(",") if h.strip()])
            )
    return areas


def load_national():
    bodies = []
    for line in NATIONAL_TEXT.strip().splitlines():
        scope, name, kind, prominence = [f.strip() for f in line.split("|")]
        bodies.append((scope, name, kind, float(prominence)))
    return bodies


def local_patterns():
    """{kind: [(nation restriction or None, pattern)]}"""
    nations = {"W": "Wales", "S": "Scotland", "E": "England", "N": "Northern Ireland"}
    patterns = {}
    for kind, text in LOCAL_PATTERNS.items():
        out = []
        for p in _split_patterns(text):
            if len(p) > 2 and p[1] == ":" and p[0] in nations:
                out.append((nations[p[0]], p[2:]))
            else:
                out.append((None, p))
        patterns[kind] = out
    return patterns
