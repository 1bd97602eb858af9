"""The school's directory as the test CAS server sees it: user name, password, attributes.
The user name is the login (a 学号 for students); the portal is configured to read the
student number from the `studentNo` attribute, as many schools' CAS servers send it."""

from cas_server.auth import AuthUser

PEOPLE = {
    "2024010001": ("campus-pass-1", {"studentNo": "2024010001", "cn": "林晓雨", "college": "外国语学院",
                                     "mail": "2024010001@stu.example.edu.cn"}),
    "2024010002": ("campus-pass-2", {"studentNo": "2024010002", "cn": "高远", "college": "机械工程学院",
                                     "mail": "2024010002@stu.example.edu.cn"}),
    "2024010003": ("campus-pass-3", {"studentNo": "2024010003", "cn": "孙一鸣", "college": "数学学院",
                                     "mail": "2024010003@stu.example.edu.cn"}),
}


class CampusDirectory(AuthUser):
    def test_password(self, password):
        person = PEOPLE.get(self.username)
        return person is not None and person[0] == password

    def attributs(self):
        person = PEOPLE.get(self.username)
        return dict(person[1]) if person else {}
