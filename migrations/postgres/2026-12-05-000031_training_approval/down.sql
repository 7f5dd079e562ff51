DROP TABLE presenter_years;
DROP TABLE preapproval_information_requests;
DROP TABLE preapproval_presenters;
DROP TABLE preapprovals;
DROP TABLE sponsor_findings;
DROP TABLE sponsor_representatives;
DROP TABLE sponsors;
DROP TABLE state_holidays;
