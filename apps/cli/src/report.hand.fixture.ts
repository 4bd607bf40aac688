// Exports made by hand with Python's csv and zipfile, as another tool would make them, not by our generator:
// export.csv, export.zip with Contract_<n>/<Table>.csv, Attachment_<first>-<last>.zip parts. `edit` is Python
// run before anything is written: it may change `rows`, `parts` (part name -> {entry: bytes}) or `manifest`.
import { execFileSync } from 'node:child_process';

const SCRIPT = String.raw`
import csv, io, os, sys, zipfile
out, edit = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
F = {
 'Candidate': 'candidate_id,project_id,first_name,last_name,emails,phone_numbers,tags,profile_url,sourcing_channels,hiring_state_id',
 'CustomFieldDefinition': 'custom_field_id,entity_type,description,name,state,type,custom_field_definition_values,created_time,last_modified',
 'CustomFieldValues': 'custom_field_id,entity_type,entity_id,custom_field_values,created_time,last_modified_time',
 'Feedbacks': 'feedback_id,candidate_id,project_id,company,requester_role,message,feedback_response,recommendation_score,approved_for_referral,requester_profile_url,requestee_profile_url',
 'HiringStates': 'candidate_hiringstate_id,name,type',
 'InterviewModule': 'interview_module_id,description,name,state,start_time,end_time',
 'Messages': 'message_id,project_id,candidate_id,sender_profile_url,subject,body,type',
 'Notes': 'note_id,project_id,candidate_id,content,owner_profile_url,visibility',
 'Projects': 'project_id,project_name,visibility,state,type,owner_profile_url,candidate_hiring_state_ids,sourcing_channels,project_description,job_post_id,job_post_description,job_post_created_at,job_post_state',
 'Scorecards': 'scorecard_id,project_id,candidate_id,interview_id,interviewer,interview_module_id,composite_score,overall_recommendation',
}
rows = {k: [] for k in F}
rows['HiringStates'] = [[1, 'Applied', 'APPLY'], [2, 'Phone screen', 'SCREEN']]
rows['Projects'] = [[11, 'Backend Engineer', 'PUBLIC', 'ACTIVE', 'JOB', 'https://www.linkedin.com/in/owner-ann', '1;2', 'applicant', 'Ann Owner hires', 'j1', 'jd', '1622505600000', 'active']]
rows['Candidate'] = [[101, 11, 'Alice', 'Zed', 'alice@example.com', '', '', '', 'applicant', 1],
                     [102, 11, 'Bob', 'Yu', 'bob@example.com', '', '', '', 'referral', 2]]
rows['Notes'] = [[71, 11, 102, 'Bob is good', 'https://www.linkedin.com/in/o', 'PROJECT']]
parts = {'Attachment_101-102.zip': {}}
for c in (101, 102):
  parts['Attachment_101-102.zip'][f'Attachments_101-102/Candidate_{c}/Public/resume_{c}.pdf'] = b'%PDF-1.4 ' + b'x' * 100
  for kind in ('Private', 'Miscellaneous'):
    parts['Attachment_101-102.zip'][f'Attachments_101-102/Candidate_{c}/{kind}/empty.txt'] = b''
manifest = None
extra = {}
stored = set()
exec(edit)
with zipfile.ZipFile(os.path.join(out, 'export.zip'), 'w', zipfile.ZIP_DEFLATED) as z:
  for name in F:
    s = io.StringIO(); w = csv.writer(s, lineterminator='\r\n')
    w.writerow(F[name].split(','))
    w.writerows(rows[name])
    z.writestr(f'Contract_123456/{name}.csv', s.getvalue().encode('utf-8'))
  for name, data in extra.items(): z.writestr(name, data)
for part, entries in parts.items():
  with zipfile.ZipFile(os.path.join(out, part), 'w', zipfile.ZIP_DEFLATED) as z:
    for name, data in entries.items():
      z.writestr(zipfile.ZipInfo(name) if name in stored else name, data)
if manifest is None:
  total = sum(len(e) for e in parts.values())
  manifest = [['export.zip', 'https://example.com/1']] + [[p, 'https://example.com/2'] for p in parts] + [['Statistics', ''], ['Total Files', total], ['Exported files', total]]
with open(os.path.join(out, 'export.csv'), 'w', newline='') as f:
  csv.writer(f, lineterminator='\r\n').writerows([['Filename', 'Download Url']] + manifest)
`;

/** Writes the export into `dir` (made if missing) and returns `dir`. */
export function handMade(dir: string, edit = ''): string {
  execFileSync('python3', ['-c', SCRIPT, dir, edit]);
  return dir;
}
