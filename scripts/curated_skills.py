# ruff: noqa: E501  (data tables read better one entry per line)
"""Hand-curated skill names and the aliases job postings really use.

Read by scripts/build_taxonomy.py. Each hard-skill line is
    Canonical | Category | alias; alias | ExactCase; ExactCase
Aliases match case-insensitively; the last field lists forms that match only with this exact
case (short names and names that are also English words: "Go", "R", "Excel", "Swift").
An O*NET or ESCO entry whose alias collides with a curated one is merged into the curated entry.
"""

from __future__ import annotations

HARD = """
Python | Programming languages | python3; python 3; py3 |
Java | Programming languages | java 8; java 11; java 17; core java; oracle java |
JavaScript | Programming languages | javascript; java script; ecmascript; es6; es2015; vanilla js | JS
TypeScript | Programming languages | typescript | TS
Go | Programming languages | golang | Go
Rust | Programming languages | rustlang | Rust
C | Programming languages | ansi c | C
C++ | Programming languages | c++; cpp; c plus plus; c++11; c++14; c++17; c++20 |
C# | Programming languages | c#; c sharp; csharp |
Ruby | Programming languages | | Ruby
PHP | Programming languages | php; php7; php8 |
Kotlin | Programming languages | kotlin |
Swift | Programming languages | | Swift
SwiftUI | Mobile | swiftui |
Scala | Programming languages | scala |
R | Programming languages | r programming; rstudio; r language | R
MATLAB | Programming languages | matlab |
Perl | Programming languages | perl |
Bash | Programming languages | bash; shell scripting; shell scripts; shell script; unix shell |
PowerShell | Programming languages | powershell |
SQL | Databases | sql; structured query language |
T-SQL | Databases | t-sql; transact-sql; tsql |
PL/SQL | Databases | pl/sql; plsql |
HTML | Web development | html; html5; html 5 |
CSS | Web development | css; css3; cascading style sheets |
Sass | Web development | sass; scss; syntactically awesome style sheets |
Less | Web development | less.js; lesscss; less css | Less; LESS
Dart | Programming languages | | Dart
Elixir | Programming languages | elixir |
Haskell | Programming languages | haskell |
Objective-C | Programming languages | objective-c; objective c; objc |
Solidity | Programming languages | solidity |
React | Frontend frameworks | react.js; reactjs; react js | React
React Native | Mobile | react native; react-native |
Angular | Frontend frameworks | angular 2+; angular2 | Angular
AngularJS | Frontend frameworks | angularjs; angular.js; angular 1 |
Vue.js | Frontend frameworks | vue.js; vuejs; vue; vue 3 |
Nuxt | Frontend frameworks | nuxt; nuxt.js; nuxtjs |
Svelte | Frontend frameworks | svelte; sveltekit |
Next.js | Frontend frameworks | next.js; nextjs |
jQuery | Frontend frameworks | jquery |
Redux | Frontend frameworks | redux |
Node.js | Backend frameworks | node.js; nodejs; node js | Node
Express | Backend frameworks | express.js; expressjs | Express
Django | Backend frameworks | django |
Flask | Backend frameworks | flask |
FastAPI | Backend frameworks | fastapi |
Spring | Backend frameworks | spring boot; spring framework; springboot; spring mvc | Spring
Ruby on Rails | Backend frameworks | ruby on rails; rails; ruby-on-rails; ror |
.NET | Backend frameworks | .net; dotnet; .net core; .net framework; asp.net; asp.net core; . net; . net core; . net framework; .net-core; net-core; asp . net |
Laravel | Backend frameworks | laravel |
Hibernate | Backend frameworks | hibernate; hibernate orm |
GraphQL | APIs | graphql |
APIs | APIs | api; apis; api’s; api's; api development; api integration |
API design | APIs | api design |
Web services | APIs | web services; web-services; soap |
HTTP | APIs | http; https; http/2 |
Data warehousing | Data platforms | data warehouse; data warehousing; data warehouses; dwh |
System administration | Infrastructure | system administration; systems administration; sysadmin |
Logging | Observability | logging; log management |
Biochemistry | Fields | biochemistry |
Sales | Business | sales; b2b sales; inside sales |
Business development | Business | business development |
Compliance | Business | compliance; regulatory compliance |
REST APIs | APIs | rest; restful; rest api; rest apis; restful api; restful apis; restful services; rest services; web apis; restful web services |
gRPC | APIs | grpc |
Microservices | Software architecture | microservices; micro-services; microservice architecture; micro services |
PostgreSQL | Databases | postgres; postgresql; psql; postgre sql |
MySQL | Databases | mysql |
MariaDB | Databases | mariadb |
MongoDB | Databases | mongodb; mongo |
Redis | Databases | redis |
Elasticsearch | Databases | elasticsearch; elastic search; elk stack |
OpenSearch | Databases | opensearch |
Cassandra | Databases | cassandra; apache cassandra |
DynamoDB | Databases | dynamodb; dynamo db |
SQLite | Databases | sqlite |
Oracle Database | Databases | oracle db; oracle database; oracle rdbms | Oracle
Microsoft SQL Server | Databases | sql server; mssql; ms sql; ms sql server |
NoSQL | Databases | nosql; no-sql |
Snowflake | Data platforms | | Snowflake
BigQuery | Data platforms | bigquery; big query |
Amazon Redshift | Data platforms | redshift |
Apache Kafka | Data platforms | kafka |
Apache Spark | Data platforms | spark; pyspark; spark streaming |
Hadoop | Data platforms | hadoop; hdfs |
Apache Airflow | Data platforms | airflow |
dbt | Data platforms | dbt |
RabbitMQ | Data platforms | rabbitmq |
Celery | Backend frameworks | celery |
AWS | Cloud platforms | aws; amazon web services; amazon-web-services; amazon aws |
Google Cloud Platform | Cloud platforms | gcp; google cloud; google cloud platform |
Microsoft Azure | Cloud platforms | azure; ms azure |
AWS Lambda | Cloud platforms | aws lambda; lambda functions | Lambda
Amazon S3 | Cloud platforms | s3; aws s3 |
Amazon EC2 | Cloud platforms | ec2; aws ec2 |
Docker | DevOps | docker; dockerfile; docker compose; docker-compose |
Containerization | DevOps | containerization; containers; containerized |
Helm | DevOps | helm charts | Helm
Kubernetes | DevOps | kubernetes; k8s; kube |
Amazon EKS | Cloud platforms | eks; amazon eks; aws eks |
Google Kubernetes Engine | Cloud platforms | gke; google kubernetes engine |
Azure Kubernetes Service | Cloud platforms | aks; azure kubernetes service |
OpenShift | DevOps | openshift; red hat openshift |
Terraform | DevOps | terraform |
Ansible | DevOps | ansible |
Puppet | DevOps | | Puppet
Chef | DevOps | | Chef
Jenkins | DevOps | jenkins |
GitHub Actions | DevOps | github actions |
GitLab CI | DevOps | gitlab ci; gitlab-ci |
CircleCI | DevOps | circleci; circle ci |
CI/CD | DevOps | ci/cd; ci cd; cicd; ci / cd; continuous integration; continuous delivery; continuous deployment; ci/cd pipelines |
DevOps | DevOps | devops; dev ops |
Site Reliability Engineering | DevOps | sre; site reliability engineering |
Infrastructure as Code | DevOps | infrastructure as code; infrastructure-as-code; iac |
Prometheus | Observability | prometheus |
Grafana | Observability | grafana |
Datadog | Observability | datadog |
Splunk | Observability | splunk |
Linux | Operating systems | linux; gnu/linux |
Ubuntu | Operating systems | ubuntu |
Debian | Operating systems | debian |
CentOS | Operating systems | centos |
Red Hat Enterprise Linux | Operating systems | rhel; red hat enterprise linux; red hat linux |
Unix | Operating systems | unix |
Windows | Operating systems | microsoft windows; windows server | Windows
macOS | Operating systems | macos; mac os; os x |
iOS | Mobile | ios |
Android | Mobile | android |
Git | Version control | git |
GitHub | Version control | github |
GitLab | Version control | gitlab |
Bitbucket | Version control | bitbucket |
Jira | Project tools | jira; atlassian jira |
Confluence | Project tools | atlassian confluence | Confluence
Agile | Methodologies | agile methodologies; agile methodology; agile development; agile software development; agile environment; agile teams; agile practices; agile/scrum | Agile
Scrum | Methodologies | scrum |
Kanban | Methodologies | kanban |
Test-driven development | Methodologies | tdd; test-driven development; test driven development |
Behavior-driven development | Methodologies | bdd; behaviour-driven development; behavior driven development |
Unit testing | Testing | unit testing; unit tests; unit test |
Test automation | Testing | test automation; automated testing; automation testing |
Selenium | Testing | selenium |
Cypress | Testing | cypress |
Jest | Testing | jest |
pytest | Testing | pytest |
JUnit | Testing | junit |
Machine learning | Data science | machine learning | ML
Deep learning | Data science | deep learning |
Artificial intelligence | Data science | artificial intelligence | AI
Natural language processing | Data science | natural language processing | NLP
Computer vision | Data science | computer vision |
Large language models | Data science | large language models; llm; llms | LLM; LLMs
Data science | Data science | data science |
Data analysis | Data science | data analysis; data analytics |
Data engineering | Data science | data engineering; data pipelines; etl; elt |
Statistics | Data science | statistics; statistical analysis; statistical modeling |
Hypothesis testing | Data science | hypothesis testing; statistical testing; significance testing; statistical significance testing; hypothesis tests |
TensorFlow | Data science | tensorflow |
PyTorch | Data science | pytorch |
scikit-learn | Data science | scikit-learn; sklearn; scikit learn |
pandas | Data science | pandas |
NumPy | Data science | numpy |
Tableau | Business intelligence | tableau |
Power BI | Business intelligence | power bi; powerbi; microsoft power bi |
Looker | Business intelligence | looker |
Excel | Office software | ms excel; microsoft excel; excel spreadsheets | Excel
PowerPoint | Office software | powerpoint; ms powerpoint; microsoft powerpoint |
Microsoft Word | Office software | ms word; microsoft word |
Microsoft Office | Office software | ms office; microsoft office; office 365; microsoft 365 |
Salesforce | Business software | salesforce; sfdc |
SAP | Business software | | SAP
Figma | Design tools | figma |
Sketch | Design tools | | Sketch
Adobe Photoshop | Design tools | photoshop; adobe photoshop |
Adobe Illustrator | Design tools | illustrator; adobe illustrator |
UX design | Design | ux; ux design; user experience; ui/ux; ux/ui; user experience design |
UI design | Design | ui design; user interface design | UI
Object-oriented programming | Software engineering | oop; object-oriented programming; object oriented programming; object-oriented design; ood |
Functional programming | Software engineering | functional programming |
Design patterns | Software engineering | design patterns |
Data structures | Software engineering | data structures; algorithms and data structures; data structures and algorithms |
Algorithms | Software engineering | algorithms |
Distributed systems | Software engineering | distributed systems |
System design | Software engineering | system design; systems design |
Software architecture | Software engineering | software architecture |
Code review | Software engineering | code review; code reviews |
Software development | Software engineering | software development; software engineering |
Web development | Software engineering | web development |
Frontend development | Software engineering | frontend; front-end; front end; frontend development; front-end development |
Backend development | Software engineering | backend; back-end; back end; backend development; back-end development |
Full-stack development | Software engineering | full-stack; full stack; fullstack |
Mobile development | Software engineering | mobile development; mobile app development |
Cloud computing | Cloud platforms | cloud computing; cloud; cloud services; cloud infrastructure; cloud native; cloud-native |
Serverless | Cloud platforms | serverless |
Networking | Infrastructure | networking; computer networks; network protocols |
TCP/IP | Infrastructure | tcp/ip |
Cybersecurity | Security | cybersecurity; cyber security; information security; infosec; it security; security engineering |
Application security | Security | application security; appsec |
Network security | Security | network security |
Cloud security | Security | cloud security |
OAuth | Security | oauth; oauth2; oauth 2.0 |
OpenID Connect | Security | openid connect; oidc |
Penetration testing | Security | penetration testing; pentesting; pen testing |
Embedded systems | Hardware | embedded systems; embedded software; firmware |
JSON | Data formats | json |
XML | Data formats | xml |
YAML | Data formats | yaml |
Protocol Buffers | Data formats | protobuf; protocol buffers |
Webpack | Frontend frameworks | webpack |
Vite | Frontend frameworks | vitejs; vite.js | Vite
Tailwind CSS | Frontend frameworks | tailwind; tailwindcss; tailwind css |
Bootstrap | Frontend frameworks | | Bootstrap
Nginx | Infrastructure | nginx |
Apache HTTP Server | Infrastructure | apache httpd; apache http server |
Project management | Management | project management |
Program management | Management | program management; programme management |
Product management | Management | product management |
SaaS | Business | saas; software as a service |
Blockchain | Software engineering | blockchain |
Unity | Game development | unity3d; unity 3d | Unity
Unreal Engine | Game development | unreal engine; unreal |
LaTeX | Tools | latex |
Computer science | Fields | computer science; informatics |
Information technology | Fields | information technology |
Mathematics | Fields | mathematics; applied mathematics |
Physics | Fields | physics |
Economics | Fields | economics |
Finance | Fields | finance; corporate finance |
Marketing | Fields | marketing |
Digital marketing | Marketing | digital marketing; online marketing |
Biotechnology | Fields | biotechnology |
Bioinformatics | Fields | bioinformatics; computational biology |
Mechanical engineering | Fields | mechanical engineering |
Electrical engineering | Fields | electrical engineering |
Electronics engineering | Fields | electronics engineering; electronic engineering |
Chemistry | Fields | chemistry |
Analytical chemistry | Fields | analytical chemistry; analytical methods; analytical techniques; analytical instrumentation; analytical instruments |
Financial services | Domains | financial services |
Fintech | Domains | fintech; financial technology |
Banking | Domains | banking |
Investment banking | Domains | investment banking |
Supply chain management | Domains | supply chain; supply chain management |
Logistics | Domains | logistics management; logistics operations; third-party logistics; 3pl | logistics
IT consulting | Domains | it consulting; technology consulting |
Java EE | Backend frameworks | jee; java ee; j2ee; java-ee; jakarta ee |
JMS | Backend frameworks | jms; java message service |
Pair programming | Methodologies | pair programming |
Big data | Data platforms | big data |
IoT | Hardware | iot; internet of things |
Quality assurance | Testing | quality assurance | QA
Software testing | Testing | testing; software testing; qa testing; manual testing |
Monitoring | Observability | monitoring; observability; alerting |
Automation | Software engineering | automation; process automation |
Analytics | Data science | analytics |
Web analytics | Marketing | web analytics |
Web applications | Software engineering | web applications; web apps; web application |
Databases | Databases | databases; relational databases; rdbms |
Database design | Databases | database design; data modeling; data modelling |
Scalability | Software engineering | scalability |
High availability | Software engineering | high availability; high-availability |
Performance tuning | Software engineering | performance tuning; performance optimization; performance optimisation |
Visual Studio Code | Tools | vs code; vscode; visual studio code |
IntelliJ IDEA | Tools | intellij; intellij idea |
"""

# Soft skills: Canonical | phrases (case-insensitive). "<canonical> skills" is added automatically.
SOFT = """
communication | communication; communicate; communicator; communicating; verbal and written communication; written and verbal communication; written communication; verbal communication; communicate effectively; excellent communicator; articulate
teamwork | teamwork; team player; team work; collaboration; collaborative; collaborate; work in a team; work in teams; working in a team; team-oriented; team spirit; cross-functional collaboration
leadership | leadership; team building; supervision; lead teams; leading teams; leadership skills; people leadership; technical leadership; thought leadership
problem solving | problem solving; problem-solving; solve problems; solving problems; problem solver
attention to detail | attention to detail; detail-oriented; detail oriented; eye for detail; meticulous; attentive to detail
mentoring | mentoring; mentor; mentorship; coaching; coach junior; mentor junior engineers
ownership | ownership; take ownership; sense of ownership; accountability; accountable
stakeholder management | stakeholder management; managing stakeholders; stakeholder communication; work with stakeholders
time management | time management; manage time; meet deadlines; meeting deadlines; prioritization; prioritisation; prioritize; organizational skills; organisational skills; highly organized; highly organised; well organized; well-organized; well organised; well-organised; structured approach; structured way of working; structured manner; work in a structured
adaptability | adaptability; adaptable; adapt to change; adapt quickly; comfortable with ambiguity
critical thinking | critical thinking; think critically
analytical thinking | analytical; analytical thinking; analytical skills; analytical mindset; analytic skills; analytical mind; analytical thinker; highly analytical; strong analytical
creativity | creativity; creative thinking; think creatively; creative mindset; creative problem solving; creative problem-solving
independence | work independently; working independently; works independently; self-starter; self starter; work autonomously; working autonomously; self-driven; self-directed; independent worker
initiative | proactive; pro-active; take initiative; show initiative; takes initiative; taking initiative; sense of initiative
pragmatism | pragmatic; pragmatism; pragmatic approach
systems thinking | systems thinking; systems thinker; holistic thinking
interpersonal skills | interpersonal; interpersonal skills; people skills; relationship building; build relationships; building relationships
customer focus | customer focus; customer-focused; customer oriented; customer-oriented; customer-centric; customer service; client-facing; customer obsession; service minded; service-minded
presentation skills | presentation skills; presenting; public speaking; presentations
negotiation | negotiation; negotiating; negotiate
decision making | decision making; decision-making; make decisions; sound judgment; judgement
curiosity | curiosity; curious; eager to learn; eagerness to learn; continuously learn; willingness to learn; love of learning; continuous learning; inquisitive
motivation | motivation; motivated; self-motivated; highly motivated; passionate; enthusiastic; hardworking; hard-working; strong work ethic; work ethic
empathy | empathy; empathetic; emotional intelligence
conflict resolution | conflict resolution; resolve conflicts; conflict management
open-mindedness | open-minded; open minded; open mind; open-mindedness
reliability | dependable; dependability; trustworthy; trustworthiness; punctual; punctuality
results orientation | result-oriented; results-oriented; results oriented; result oriented; results-driven; goal-oriented; delivery focused
working under pressure | work under pressure; working under pressure; stress resilience; cope with stress; fast-paced environment; stress tolerance
business acumen | business acumen; commercial awareness; business sense; commercial mindset
multitasking | multitasking; multi-tasking; juggle multiple priorities; manage multiple priorities
strategic thinking | strategic thinking; strategic mindset
innovation | think innovatively; innovative thinking; innovative mindset
delegation | delegation; delegate
planning | plan and organize; planning skills
feedback | give feedback; receive feedback; constructive feedback; open to feedback
intercultural competence | intercultural; cross-cultural; multicultural environment; intercultural competence
"""

# ESCO transversal concepts mapped onto a curated soft skill (label → canonical). Concepts not
# listed keep their ESCO label as canonical; those in ESCO_TRANSVERSAL_SKIP are not soft skills
# a posting asks for (civic life, health, the environment) and are left out.
ESCO_SOFT_MAP = {
    "work in teams": "teamwork",
    "solve problems": "problem solving",
    "lead others": "leadership",
    "manage time": "time management",
    "adapt to change": "adaptability",
    "attend to detail": "attention to detail",
    "think critically": "critical thinking",
    "think analytically": "analytical thinking",
    "work independently": "independence",
    "show initiative": "initiative",
    "think creatively": "creativity",
    "make decisions": "decision making",
    "advise others": "mentoring",
    "instruct others": "mentoring",
    "resolve conflicts": "conflict resolution",
    "cope with stress": "working under pressure",
    "demonstrate curiosity": "curiosity",
    "demonstrate willingness to learn": "curiosity",
    "build networks": "interpersonal skills",
    "show empathy": "empathy",
    "negotiate compromises": "negotiation",
    "address an audience": "presentation skills",
    "meet commitments": "reliability",
    "demonstrate trustworthiness": "reliability",
    "assume responsibility": "ownership",
    "show determination": "motivation",
    "show commitment": "motivation",
    "keep an open mind": "open-mindedness",
    "think innovatively": "innovation",
    "delegate responsibilities": "delegation",
    "plan": "planning",
    "demonstrate intercultural competence": "intercultural competence",
    "accept criticism and guidance": "feedback",
    "use communication and collaboration software": "communication",
}

ESCO_TRANSVERSAL_SKIP_WORDS = (
    "environment", "pollution", "biodiversity", "health", "hygiene", "civic", "democracy",
    "physical", "fitness", "consumption", "religion", "philosophy", "rights", "artistic",
    "creatively", "food", "hazards", "objects", "financial and material", "digital identity",
    "web searches", "digital hardware", "spatial", "memorise", "calculations", "probabilities",
    "social sciences", "science, technology", "frustration", "well-being", "precision",
    "sustainab", "informed use", "personal progression", "loyalty", "cultural values",
)

# ESCO transversal alt labels that are boilerplate or another thing, not a claim of the skill:
# "you will be responsible for", "advise customers" (a task, not mentoring), "meet targets".
ESCO_SOFT_ALT_SKIP = frozenset(
    ["be responsible", "advise customers", "make an effort", "meet targets", "think ahead", "shape the future", "identify opportunities", "present products", "write minutes", "manage complaints", "react quickly", "check facts", "demonstrate interest", "act intuitevely", "protect personal data", "make contacts", "establish contacts", "resolve conflict", "give direction", "detect bias", "share tasks", "make choices", "make decision", "signal problems", "enjoys selling", "stimulate action", "evaluate information", "assess information", "understand complexity", "manage details", "work to agreed standards", "monitor quality", "reflect on practice", "show courtesy", "show good manners", "maintain contact with others", "protect privacy", "accept challenges", "draw up time line"]
)

# Words that name a technology only in a technical context; never used as a case-insensitive alias.
AMBIGUOUS_WORDS = frozenset(
    ["access", "word", "project", "teams", "office", "outlook", "go", "r", "c", "d", "e", "f", "j", "k", "q", "v", "x", "express", "spring", "chef", "puppet", "swift", "ruby", "rust", "dart", "unity", "sketch", "snowflake", "windows", "oracle", "node", "react", "angular", "bootstrap", "excel", "canvas", "salt", "less", "shell", "make", "ant", "prophet", "origin", "observer", "delphi", "google", "scratch", "fastest", "apps", "specification", "premier", "singer", "facebook", "zoom", "slack", "apple", "amazon", "microsoft", "ibm", "sap", "ai", "ml", "ui", "ux", "it", "is", "as", "at", "be"]
)

# O*NET names that are companies, platforms or so generic they match the wrong thing.
ONET_BLOCKLIST = frozenset(
    name.strip()
    for name in ["\n    google", " facebook", " tiktok", " twitter", " linkedin", " instagram", " youtube", " email software", "\n    web browser software", " operating system software", " business software applications", "\n    software libraries", " productivity software", " the observer xt", " origin", " prophet\n    "]
)
