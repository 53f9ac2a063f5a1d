"""Related-skill evidence: an umbrella skill a posting asks for, evidenced by a specific tool
the resume names (Grafana or Prometheus for Monitoring, AWS for Cloud computing).

Curated rather than taken from the taxonomy's categories: a category groups alike tools
("Databases" holds SQL next to Redis), while using one of these tools *is* doing the
umbrella skill. Such evidence makes a skill evidenced, never shown: the resume does not say
the word, and nothing writes it in (the guard would reject it as an added skill).
"""

from __future__ import annotations

# umbrella skill (canonical taxonomy name) → the skills whose use evidences it
IMPLIED_BY: dict[str, tuple[str, ...]] = {
    "Monitoring": ("Prometheus", "Grafana", "Datadog", "Splunk"),
    "Logging": ("Splunk", "Elasticsearch", "OpenSearch"),
    "Cloud computing": ("AWS", "Google Cloud Platform", "Microsoft Azure", "AWS Lambda",
                        "Amazon S3", "Amazon EC2", "Amazon EKS", "Google Kubernetes Engine",
                        "Azure Kubernetes Service", "Serverless"),
    "Data warehousing": ("Snowflake", "BigQuery", "Amazon Redshift"),
    "Containerization": ("Docker", "Kubernetes", "OpenShift", "Amazon EKS",
                         "Google Kubernetes Engine", "Azure Kubernetes Service"),
    "CI/CD": ("Jenkins", "GitHub Actions", "GitLab CI", "CircleCI"),
    "Infrastructure as Code": ("Terraform", "Ansible", "Puppet", "Chef"),
    "NoSQL": ("MongoDB", "Cassandra", "DynamoDB"),
    "Messaging": ("Apache Kafka", "RabbitMQ", "Amazon SQS", "Apache ActiveMQ"),
    "Databases": ("PostgreSQL", "MySQL", "MariaDB", "MongoDB", "Cassandra", "DynamoDB",
                  "SQLite", "Oracle Database", "Microsoft SQL Server"),
    "Test automation": ("Selenium", "Cypress", "pytest", "Jest", "JUnit"),
    "Big data": ("Apache Spark", "Hadoop"),
    "Machine learning": ("TensorFlow", "PyTorch", "scikit-learn"),
    "CRM": ("Salesforce", "HubSpot", "Pipedrive", "Zoho CRM", "Microsoft Dynamics 365"),
    "Electronic health records": ("Epic", "Cerner", "Meditech"),
    # Outside software: marketing, analytics, finance, teaching.
    "Pay-per-click advertising": ("Google Ads", "Bing Ads"),
    "Marketing automation": ("Marketo", "HubSpot", "Oracle Eloqua", "Mailchimp",
                             "Salesforce Marketing Cloud"),
    "business intelligence": ("Tableau", "Power BI", "Looker", "Qlik"),
    "Data visualization": ("Tableau", "Power BI", "Looker", "Qlik"),
    "Web analytics": ("Google Analytics", "Adobe Analytics"),
    "ERP": ("SAP", "NetSuite", "Workday"),
    "Learning management systems": ("Canvas LMS", "Moodle", "Blackboard", "Google Classroom"),
}


def implied_by(skill: str) -> tuple[str, ...]:
    """The specific skills whose use evidences `skill` (none for most skills)."""
    return IMPLIED_BY.get(skill, ())
