# ruff: noqa: E501  (data tables read better one entry per line)
"""More hand-curated hard skills: widely used tools and libraries O*NET lacks or names only with
a vendor ("Apache Subversion SVN"), and the areas of knowledge postings name in a word or two
("version control", "caching", "B2B", "genomics"). Same line format as curated_skills.HARD:
    Canonical | Category | alias; alias | ExactCase; ExactCase
Read by scripts/build_taxonomy.py after curated_skills.HARD, so a name already there wins.
"""

from __future__ import annotations

TOOLS = """
Kibana | Observability | kibana |
Elastic Stack | Observability | elastic stack |
Logstash | Observability | logstash |
New Relic | Observability | new relic; newrelic |
AppDynamics | Observability | appdynamics |
Sentry | Observability | | Sentry
OpenTelemetry | Observability | opentelemetry; open telemetry |
Jaeger | Observability | | Jaeger
Clojure | Programming languages | clojure; clojurescript |
Groovy | Programming languages | | Groovy
F# | Programming languages | f# |
Lua | Programming languages | | Lua
Fortran | Programming languages | fortran |
COBOL | Programming languages | cobol |
Assembly language | Programming languages | assembly language; assembler |
VBA | Programming languages | vba; visual basic for applications |
Julia | Programming languages | julia language | Julia
WebAssembly | Programming languages | webassembly; wasm |
Apache Flink | Data platforms | flink |
Apache Storm | Data platforms | apache storm |
Apache Beam | Data platforms | apache beam |
Apache NiFi | Data platforms | nifi; apache nifi |
Apache Hive | Data platforms | hive; apache hive | Hive
Presto | Data platforms | presto; prestodb; trino |
Databricks | Data platforms | databricks |
Apache ActiveMQ | Data platforms | activemq; apache activemq |
Apache Camel | Backend frameworks | apache camel | Camel
IBM MQ | Data platforms | ibm mq; websphere mq; mqseries |
AMQP | Data platforms | amqp |
MQTT | Data platforms | mqtt |
Amazon SQS | Cloud platforms | sqs; amazon sqs; aws sqs |
Amazon SNS | Cloud platforms | sns; amazon sns; aws sns |
Amazon RDS | Cloud platforms | rds; amazon rds; aws rds |
Amazon Aurora | Cloud platforms | amazon aurora; aws aurora | Aurora
Amazon ECS | Cloud platforms | ecs; amazon ecs; aws ecs |
AWS Fargate | Cloud platforms | fargate; aws fargate |
AWS CloudFormation | Cloud platforms | cloudformation; aws cloudformation |
AWS Elastic Beanstalk | Cloud platforms | elastic beanstalk; aws elastic beanstalk |
AWS IAM | Cloud platforms | aws iam; iam policies | IAM
Amazon VPC | Cloud platforms | vpc; vpcs; amazon vpc; aws vpc |
Amazon CloudWatch | Cloud platforms | cloudwatch; amazon cloudwatch |
Amazon Kinesis | Cloud platforms | kinesis; amazon kinesis |
Pulumi | DevOps | pulumi |
Rancher | DevOps | | Rancher
Vagrant | DevOps | | Vagrant
Packer | DevOps | hashicorp packer | Packer
HashiCorp Vault | DevOps | hashicorp vault | Vault
Consul | DevOps | hashicorp consul | Consul
Nomad | DevOps | hashicorp nomad |
Istio | DevOps | istio |
Envoy | DevOps | envoy proxy | Envoy
Argo CD | DevOps | argo cd; argocd; argo workflows |
Spinnaker | DevOps | spinnaker |
Travis CI | DevOps | travis ci; travis-ci; travisci | Travis
TeamCity | DevOps | teamcity |
Bamboo | DevOps | atlassian bamboo | Bamboo
Concourse CI | DevOps | concourse ci | Concourse
Octopus Deploy | DevOps | octopus deploy |
SonarQube | DevOps | sonarqube; sonarcloud |
Nexus Repository | DevOps | nexus repository; sonatype nexus |
Artifactory | DevOps | artifactory; jfrog artifactory |
Maven | Build tools | maven; apache maven |
Gradle | Build tools | gradle |
Apache Ant | Build tools | apache ant |
npm | Build tools | npm |
Yarn | Build tools | | Yarn
pnpm | Build tools | pnpm |
Babel | Build tools | babel; babeljs; babel.js |
Rollup | Build tools | rollup.js | Rollup
esbuild | Build tools | esbuild |
Parcel | Build tools | parcel.js | Parcel
Snowpack | Build tools | snowpack |
Gulp | Build tools | gulp; gulp.js | Gulp
Grunt | Build tools | grunt.js | Grunt
CMake | Build tools | cmake |
Subversion | Version control | svn; subversion; apache subversion |
Mercurial | Version control | mercurial |
Perforce | Version control | perforce |
Version control | Version control | version control; source control; revision control; version control systems |
Vuex | Frontend frameworks | vuex |
Pinia | Frontend frameworks | pinia |
MobX | Frontend frameworks | mobx |
RxJS | Frontend frameworks | rxjs |
NgRx | Frontend frameworks | ngrx |
Ember.js | Frontend frameworks | ember.js; emberjs | Ember
Backbone.js | Frontend frameworks | backbone.js; backbonejs |
Knockout.js | Frontend frameworks | knockout.js; knockoutjs |
Gatsby | Frontend frameworks | gatsby; gatsbyjs |
Remix | Frontend frameworks | remix.run | Remix
Three.js | Frontend frameworks | three.js; threejs |
D3.js | Frontend frameworks | d3.js; d3js | D3
Chart.js | Frontend frameworks | chart.js; chartjs |
Material UI | Frontend frameworks | material ui; material-ui; mui |
Bulma | Frontend frameworks | bulma |
Storybook | Frontend frameworks | storybook |
Web Components | Frontend frameworks | web components; custom elements; shadow dom |
Ionic | Mobile | ionic framework; ionic-framework | Ionic
Flutter | Mobile | flutter |
Xamarin | Mobile | xamarin |
Cordova | Mobile | cordova; apache cordova; phonegap |
Jetpack Compose | Mobile | jetpack compose |
RxJava | Mobile | rxjava; rxkotlin; rxswift |
Dagger | Mobile | dagger 2; dagger2; hilt | Dagger
Retrofit | Mobile | | Retrofit
Cocoa | Mobile | cocoa touch; cocoapods | Cocoa
Symfony | Backend frameworks | symfony |
CodeIgniter | Backend frameworks | codeigniter |
Zend Framework | Backend frameworks | zend framework; laminas |
NestJS | Backend frameworks | nestjs; nest.js |
Koa | Backend frameworks | koa.js | Koa
Gin | Backend frameworks | gin-gonic | Gin
Quarkus | Backend frameworks | quarkus |
Micronaut | Backend frameworks | micronaut |
Vert.x | Backend frameworks | vert.x; vertx |
Akka | Backend frameworks | akka |
Play Framework | Backend frameworks | play framework |
Ktor | Backend frameworks | ktor |
Phoenix | Backend frameworks | phoenix framework |
Strapi | Backend frameworks | strapi |
Entity Framework | Backend frameworks | entity framework; ef core |
WPF | Backend frameworks | wpf; windows presentation foundation |
WinForms | Backend frameworks | winforms; windows forms |
Blazor | Backend frameworks | blazor |
Qt | Backend frameworks | qt framework; qt5; qt6 | Qt
JPA | Backend frameworks | jpa; java persistence api |
EJB | Backend frameworks | ejb; enterprise javabeans |
JSP | Backend frameworks | jsp; javaserver pages; java server pages |
JSF | Backend frameworks | jsf; javaserver faces |
Servlets | Backend frameworks | servlet; servlets; java servlets |
JAX-RS | Backend frameworks | jax-rs; jersey |
JAX-WS | Backend frameworks | jax-ws |
JAXB | Backend frameworks | jaxb |
JTA | Backend frameworks | jta |
MyBatis | Backend frameworks | mybatis; ibatis |
jOOQ | Backend frameworks | jooq |
Mockito | Testing | mockito |
MockK | Testing | mockk |
TestNG | Testing | testng |
Cucumber | Testing | | Cucumber
Playwright | Testing | | Playwright
Puppeteer | Testing | | Puppeteer
TestCafe | Testing | testcafe |
Mocha | Testing | mocha.js | Mocha
Jasmine | Testing | jasmine.js | Jasmine
Karma | Testing | karma.js | Karma
Appium | Testing | appium |
JMeter | Testing | jmeter; apache jmeter |
Gatling | Testing | | Gatling
Postman | Testing | | Postman
Swagger | APIs | swagger; openapi; open api |
WebSockets | APIs | websocket; websockets; web sockets |
OData | APIs | odata |
AJAX | Web development | ajax |
DOM | Web development | dom; virtual dom | DOM
Responsive design | Web development | responsive design; responsive web design; mobile-first design |
Web accessibility | Web development | web accessibility; accessibility; wcag; a11y |
SEO | Marketing | seo; search engine optimization; search engine optimisation |
Memcached | Databases | memcached |
Neo4j | Databases | neo4j |
CouchDB | Databases | couchdb; couchbase |
InfluxDB | Databases | influxdb |
ClickHouse | Databases | clickhouse |
CockroachDB | Databases | cockroachdb |
HBase | Databases | hbase |
Aerospike | Databases | aerospike |
Firebase | Databases | firebase; firestore |
Supabase | Databases | supabase |
Graph databases | Databases | graph databases; graph dbs; graph db |
OLAP | Databases | olap; olap cubes |
ORM | Databases | orm; object-relational mapping; object relational mapping |
Caching | Software engineering | caching; distributed cache; distributed caching |
Multithreading | Software engineering | multithreading; multi-threading; concurrency; concurrent programming |
Asynchronous programming | Software engineering | asynchronous programming; async programming; async/await |
Event-driven architecture | Software architecture | event-driven architecture; event driven architecture; event sourcing; cqrs |
Domain-driven design | Software architecture | domain-driven design; domain driven design; ddd |
Hexagonal architecture | Software architecture | hexagonal architecture; clean architecture; ports and adapters |
Service-oriented architecture | Software architecture | soa; service-oriented architecture; service oriented architecture |
Twelve-factor app | Software architecture | twelve-factor; 12 factor; 12-factor; twelve factor |
Enterprise integration patterns | Software architecture | enterprise integration patterns |
Middleware | Software architecture | middleware |
Messaging | Software architecture | messaging; message queues; message queue; message brokers; message broker; messaging systems |
Systems integration | Software architecture | systems integration; system integration; integration testing |
Software architecture design | Software architecture | architecture; solution architecture; solutions architecture; enterprise architecture; technical architecture; system architecture |
IT infrastructure | Infrastructure | it infrastructure; infrastructure management; cloud infrastructure management |
Scripting | Software engineering | scripting; scripting languages; scripting language |
SDLC | Software engineering | sdlc; software development life cycle; software development lifecycle |
Configuration management | DevOps | configuration management |
Virtualization | Infrastructure | virtualization; virtualisation; vmware; hyper-v; kvm |
Citrix | Infrastructure | citrix; citrix xenapp; xendesktop |
VDI | Infrastructure | vdi; virtual desktop infrastructure; virtual desktops |
Load balancing | Infrastructure | load balancing; load balancers; load balancer |
CDN | Infrastructure | cdn; content delivery network; cloudflare; akamai |
DNS | Infrastructure | dns |
TCP | Infrastructure | tcp; udp; tcp/udp; udp/ip |
IPv6 | Infrastructure | ipv6; ipv4 |
Ethernet | Infrastructure | ethernet |
Routing protocols | Infrastructure | routing protocols; bgp; ospf; mpls; is-is |
VPN | Infrastructure | vpn; ipsec; ipsec vpn; ipsec vpns |
Firewalls | Infrastructure | firewall; firewalls |
Storage systems | Infrastructure | storage systems; object storage |
Backup and recovery | Infrastructure | backup; backups; disaster recovery; disaster-recovery |
Active Directory | Infrastructure | active directory; ldap; azure ad; entra id |
PaaS | Cloud platforms | paas; platform as a service |
IaaS | Cloud platforms | iaas; infrastructure as a service |
Multitenancy | Cloud platforms | multitenancy; multi-tenancy; multi-tenant |
Heroku | Cloud platforms | heroku |
DigitalOcean | Cloud platforms | digitalocean; digital ocean |
Cloud Foundry | Cloud platforms | cloud foundry; pivotal cloud foundry; pcf |
Security | Security | security; software security; secure development; secure coding |
Cryptography | Security | cryptography; encryption; pki; public key infrastructure |
TLS | Security | tls; ssl; ssl/tls; tls/ssl; x.509 |
Identity and access management | Security | identity and access management; access management; authentication; authn; authz; sso; single sign-on; saml |
PCI DSS | Security | pci dss; pci-dss; pci compliance; payment card industry data security standard | PCI DSS; PCI-DSS
SIEM | Security | siem; security information and event management |
ISO 27001 | Security | iso 27001; iso/iec 27001; iso27001 |
SOC 2 | Security | soc 2; soc2 |
GDPR | Security | gdpr; general data protection regulation |
FedRAMP | Security | fedramp |
FISMA | Security | fisma |
Endpoint protection | Security | endpoint protection; endpoint security; edr |
Threat modeling | Security | threat modeling; threat modelling |
Vulnerability management | Security | vulnerability management; vulnerability scanning; vulnerability assessment |
OWASP | Security | owasp; owasp top 10 |
Metasploit | Security | metasploit |
Wireshark | Security | wireshark |
Burp Suite | Security | burp suite |
Phishing | Security | phishing; vishing; smishing; social engineering |
Embedded Linux | Hardware | embedded linux; yocto; buildroot |
RTOS | Hardware | rtos; freertos; zephyr rtos; real-time operating systems; real-time operating system |
Microcontrollers | Hardware | microcontrollers; microcontroller; mcu; mcus; embedded mcus |
ARM architecture | Hardware | arm cortex; arm cortex-m; arm cortex-a; arm architecture; arm core |
FPGA | Hardware | fpga; fpgas; vhdl; verilog |
Device drivers | Hardware | device drivers; device driver; driver development; device driver development |
USB | Hardware | usb |
SPI | Hardware | spi; i2c; uart; can bus |
JTAG | Hardware | jtag |
PCB design | Hardware | pcb design; pcb layout; altium |
x86 architecture | Hardware | x86; x86-64; x86 architecture |
Operating systems | Software engineering | operating systems; os internals |
Compilers | Software engineering | compilers; compiler design |
Computer architecture | Software engineering | computer architecture |
Open source | Software engineering | open source software; open-source software; open source projects |
Desktop applications | Software engineering | desktop applications; desktop application development |
Mobile technology | Mobile | mobile applications; mobile application; mobile apps; mobile app; mobile technology; mobile technologies |
B2B | Domains | b2b; business to business; business-to-business |
B2C | Domains | b2c; business to consumer; business-to-consumer |
FMCG | Domains | fmcg; fast-moving consumer goods; cpg; consumer packaged goods |
Telecommunications | Domains | telecommunications; telecom; telecoms |
Retail | Domains | retail; retail banking |
Digital health | Domains | digital health; health tech; healthtech; ehealth |
Programmatic advertising | Marketing | programmatic advertising; ad tech; adtech |
Agile methods | Methodologies | agile methods; agile frameworks; scaled agile; scaled agile framework; safe agile | SAFe
Extreme programming | Methodologies | extreme programming; xp practices |
Six Sigma | Methodologies | six sigma; lean six sigma |
ITIL | Methodologies | itil |
Sprint planning | Methodologies | sprint planning; retrospectives; stand-ups; daily stand-ups |
BPMN | Methodologies | bpmn; bpmn 2.0; business process model and notation |
Camunda | Business software | camunda |
SAPUI5 | Business software | sapui5; openui5; sap fiori; fiori |
SAP HANA | Business software | sap hana; hana |
Microsoft Dynamics NAV | Business software | dynamics nav; navision; business central; nav/bc |
Workday | Business software | | Workday
ServiceNow | Business software | servicenow |
HubSpot | Business software | hubspot |
Google Analytics | Marketing | google analytics |
Adobe XD | Design tools | adobe xd |
InVision | Design tools | invision |
Wireframing | Design | wireframes; wireframing; wireframe; mockups |
Prototyping | Design | prototyping; prototypes; rapid prototyping |
User research | Design | user research; usability testing; user testing |
Data visualization | Data science | data visualization; data visualisation; dataviz |
Data management | Data science | data management; master data management; data governance |
Data architecture | Databases | data architecture; data models |
Stream processing | Data platforms | stream processing; streaming data; real-time data processing; event streaming |
ETL tools | Data platforms | informatica; talend; ssis; pentaho |
Jupyter | Data science | jupyter; jupyter notebooks; jupyterlab |
Keras | Data science | keras |
XGBoost | Data science | xgboost; lightgbm |
Hugging Face | Data science | hugging face; huggingface; transformers library |
MLOps | Data science | mlops; mlflow; kubeflow |
SciPy | Data science | scipy |
Matplotlib | Data science | matplotlib; seaborn; plotly |
SPSS | Data science | spss; ibm spss |
SAS | Data science | sas programming; sas software | SAS
Stata | Data science | | Stata
Genomics | Fields | genomics; transcriptomics; population genomics |
Proteomics | Fields | proteomics; mass spectrometry; mass-spectrometry |
Cell biology | Fields | cell biology; molecular cell biology; cell culture; mammalian cell culture |
Molecular biology | Fields | molecular biology |
Neuroscience | Fields | neuroscience; cognitive neuroscience |
Robotics | Fields | robotics |
Life sciences | Fields | life sciences; life science |
Chemical engineering | Fields | chemical engineering |
Materials science | Fields | materials science; materials engineering; materials research |
Public health | Fields | public health; epidemiology |
"""
